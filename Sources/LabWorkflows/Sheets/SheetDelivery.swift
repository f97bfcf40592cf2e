import Foundation
import LabSheets
import LabStore

/// Deliver mail: each participant with an address who was not mailed yet (or whose
/// address changed) gets their sheet; every result is recorded before the next mail.
public struct SheetDelivery {
    /// What happened to one participant, for the caller to show.
    public enum Event {
        case noAddress(participant: String)
        case alreadySent(participant: String, to: String, at: Date)
        case notRenderable(participant: String, reason: String)
        case sent(participant: String, to: String, reply: SMTPReply)
        case failed(participant: String, to: String, error: SMTPError)
    }

    /// The mails a run would send, after those already sent or without an address.
    public struct Plan {
        public var mails: [(participant: SheetParticipant, mail: MailMessage)]
        /// Participants whose mail could not even be made (counted as failed).
        public var unrenderable: Int
    }

    public let registry: Registry
    public let inputs: SheetInputs
    public let renderer: SheetRenderer
    public let sender: MailAddress
    /// Put before every subject, e.g. "[replacement] " when a rebuilt cluster's sheet goes out again.
    public var subjectPrefix = ""

    public init(registry: Registry, inputs: SheetInputs, renderer: SheetRenderer, sender: MailAddress) {
        self.registry = registry
        self.inputs = inputs
        self.renderer = renderer
        self.sender = sender
    }

    /// Who gets mail: `resend` mails again those already mailed at their current address.
    public func plan(_ sheets: [SheetParticipant], resend: Bool, onEvent: (Event) -> Void) throws -> Plan {
        let previous = try registry.deliveries(session: inputs.session.name)
        var plan = Plan(mails: [], unrenderable: 0)
        for p in sheets {
            guard let email = p.email else { onEvent(.noAddress(participant: p.name)); continue }
            if !resend, let record = previous[p.name], record.delivered(to: email) {
                onEvent(.alreadySent(participant: p.name, to: email, at: record.attemptedAt))
                continue
            }
            do {
                var mail = try renderer.mail(session: inputs.session, participant: p, from: sender)
                mail.subject = subjectPrefix + mail.subject
                plan.mails.append((p, mail))
            } catch {
                plan.unrenderable += 1
                onEvent(.notRenderable(participant: p.name, reason: "\(error)"))
            }
        }
        return plan
    }

    /// Sends the plan's mails at most `perMinute`, recording each result. Returns (sent, failed),
    /// and the error that stopped the run when the server itself cannot be used (its
    /// certificate, its TLS): that one is not recorded against anyone.
    public func send(_ plan: Plan, client: SMTPClient, perMinute: Int,
                     onEvent: (Event) -> Void) throws -> (sent: Int, failed: Int, stoppedBy: SMTPError?) {
        var mailer = SheetMailer(client: client, pacer: SendPacer(perMinute: perMinute))
        var sent = 0, failed = 0
        let stoppedBy = try mailer.send(plan.mails.map { (tag: $0.participant, mail: $0.mail) }) { p, mail, result in
            let status: DeliveryRecord.Status
            let detail: String
            switch result {
            case .success(let reply):
                (status, detail) = (.sent, reply.description)
                sent += 1
                onEvent(.sent(participant: p.name, to: mail.to.address, reply: reply))
            case .failure(let error):
                (status, detail) = (.failed, error.description)
                failed += 1
                onEvent(.failed(participant: p.name, to: mail.to.address, error: error))
            }
            guard let participantID = inputs.participantIDs[p.name] else { return }
            try registry.recordDelivery(DeliveryRecord(participantID: participantID, session: inputs.session.name,
                                                       participant: p.name, recipient: mail.to.address, status: status,
                                                       detail: detail, messageID: mail.messageID))
        }
        return (sent, failed, stoppedBy)
    }
}

import Foundation
import GRDB

/// The latest attempt to mail one participant their connection sheet.
public struct DeliveryRecord: Codable, Equatable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "sheetDelivery"

    /// `sent`: the server accepted the mail; `failed`: it did not (see `detail`).
    public enum Status: String, Codable, Sendable {
        case sent, failed
    }

    public var participantID: Int64
    public var session: String
    public var participant: String
    /// The address the attempt went to; a changed address is mailed again.
    public var recipient: String
    public var status: Status
    /// The server's acceptance (`250 …`) or why it failed. Never a password.
    public var detail: String
    public var messageID: String?
    public var attempts: Int
    public var attemptedAt: Date

    public init(participantID: Int64, session: String, participant: String, recipient: String, status: Status,
                detail: String, messageID: String?, attempts: Int = 1, attemptedAt: Date = Date()) {
        self.participantID = participantID
        self.session = session
        self.participant = participant
        self.recipient = recipient
        self.status = status
        self.detail = detail
        self.messageID = messageID
        self.attempts = attempts
        self.attemptedAt = attemptedAt
    }

    /// True when this record means: nothing more to send to `recipient`.
    public func delivered(to recipient: String) -> Bool {
        status == .sent && self.recipient.lowercased() == recipient.lowercased()
    }
}

import Foundation
import GRDB

/// Delivery results of connection-sheet mails.
extension Registry {
    /// The latest delivery per participant of `session`, by participant name.
    public func deliveries(session: String) throws -> [String: DeliveryRecord] {
        try database.read { db in
            let records = try DeliveryRecord.filter(SharedColumns.session == session).fetchAll(db)
            return Dictionary(records.map { ($0.participant, $0) }, uniquingKeysWith: { _, b in b })
        }
    }

    /// Records one attempt (replacing the previous one, counting attempts) and audits it,
    /// in one transaction: a mail the server accepted is on record before the next goes out.
    @discardableResult
    public func recordDelivery(_ record: DeliveryRecord) throws -> DeliveryRecord {
        try database.write { db in
            var stored = record
            let previous = try DeliveryRecord.fetchOne(db, key: record.participantID)
            stored.attempts = (previous?.attempts ?? 0) + 1
            try stored.save(db)
            try Self.audit(db, session: record.session, participant: record.participant,
                           action: record.status == .sent ? "sheet-sent" : "sheet-failed",
                           detail: "\(record.recipient): \(record.detail)", interface: .cli)
            return stored
        }
    }
}

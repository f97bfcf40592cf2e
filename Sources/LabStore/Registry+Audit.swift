import Foundation
import GRDB

/// Audit entries for decisions made outside the registry's own writes
/// (e.g. an apply accepted with SSH open to everyone).
extension Registry {
    public func recordAudit(session: String, participant: String? = nil, action: String, detail: String, interface: Interface = .cli) throws {
        try database.write { db in
            _ = try Self.ensureSession(session, db)
            try Self.audit(db, session: session, participant: participant, action: action, detail: detail, interface: interface)
        }
    }
}

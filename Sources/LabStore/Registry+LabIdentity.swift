import Foundation
import GRDB
import LabCore

extension Registry {
    static let labIDKey = "labId"

    /// The lab's id, nil before the lab's first use.
    public func labID() throws -> LabID? {
        try database.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM \(LabIdentityMigrations.table) WHERE key = ?", arguments: [Self.labIDKey])
        }.flatMap(LabID.init)
    }

    /// The lab's id; stores `candidate()` first when there is none. The first writer wins
    /// (INSERT OR IGNORE in one transaction), so two labctl starting at once agree.
    public func ensureLabID(_ candidate: () -> LabID = LabID.generate) throws -> LabID {
        if let existing = try labID() { return existing }
        let fresh = candidate()
        let stored = try database.write { db -> String? in
            try db.execute(sql: "INSERT OR IGNORE INTO \(LabIdentityMigrations.table) (key, value, createdAt) VALUES (?, ?, ?)",
                           arguments: [Self.labIDKey, fresh.value, Date()])
            return try String.fetchOne(db, sql: "SELECT value FROM \(LabIdentityMigrations.table) WHERE key = ?", arguments: [Self.labIDKey])
        }
        guard let id = stored.flatMap(LabID.init) else {
            throw RegistryError.cannotOpen(path: path, reason: "its lab id \(stored ?? "(none)") is not of the form lab-xxxxxxxx")
        }
        return id
    }
}

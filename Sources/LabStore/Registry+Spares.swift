import Foundation
import GRDB
import LabCore

/// Spare clusters (issue 14): created for `spares = N`, handed to late joiners.
extension Registry {
    /// The session's spares, oldest first (the order `assign` hands them out).
    public func spares(session: String) throws -> [SpareRecord] {
        try database.read { db in
            try SpareRecord.filter(SpareRecord.Columns.session == session).order(SpareRecord.Columns.id).fetchAll(db)
        }
    }

    /// Cluster key → discrete id of the participant it was handed to (assigned spares only).
    public func spareOwners(session: String) throws -> [String: String] {
        try database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.clusterKey, p.discreteID FROM \(SpareMigrations.table) s JOIN participant p ON p.id = s.participantID
                WHERE s.session = ?
                """, arguments: [session])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["clusterKey"] as String, $0["discreteID"] as String) })
        }
    }

    /// A new free spare with the next free pod network (allocated in the same transaction,
    /// disjoint from every participant's and spare's network) and the given secrets.
    @discardableResult
    public func addSpare(session: String, secrets: ClusterSecrets, via interface: Interface = .cli) throws -> SpareRecord {
        try SessionName.validate(session)
        let pool = self.pool
        return try database.write { db in
            _ = try Self.ensureSession(session, db)
            var allocator = RegistrationAllocator(pool: pool)
            let cidr = try allocator.network(db)
            guard let network = IPv4CIDR(cidr) else { throw RegistryError.pool(.invalidRange(cidr, clusterPrefix: 32)) }
            var spare = SpareRecord(id: nil, session: session, clusterKey: "spare-pending-\(UUID().uuidString)", podCIDR: cidr,
                                    firstAddress: Int64(network.address), lastAddress: Int64(network.lastAddress),
                                    joinToken: secrets.joinToken, caCertPEM: secrets.caCertPEM, caKeyPEM: secrets.caKeyPEM,
                                    caCertHash: secrets.caCertHash, participantID: nil, createdAt: Date(), assignedAt: nil)
            try spare.insert(db)
            // Row ids are never reused (AUTOINCREMENT): a new spare never takes the Terraform
            // key of one whose removal is not applied yet.
            spare.clusterKey = "spare_\(spare.id!)"
            try spare.update(db)
            try Self.audit(db, session: session, participant: nil, action: "spare-added",
                           detail: "\(spare.clusterKey) \(cidr)", interface: interface)
            return spare
        }
    }

    /// Removes a free spare (`spares` lowered); its network is free again. Assigned ones stay.
    public func removeFreeSpare(session: String, clusterKey: String, via interface: Interface = .cli) throws {
        try database.write { db in
            guard let spare = try SpareRecord.filter(SpareRecord.Columns.session == session && SpareRecord.Columns.clusterKey == clusterKey)
                .fetchOne(db), spare.isFree else { return }
            try spare.delete(db)
            _ = try HostKeyRecord.deleteOne(db, key: ["session": session, "discreteID": clusterKey])
            _ = try VerificationRecord.deleteOne(db, key: ["session": session, "discreteID": clusterKey])
            try Self.audit(db, session: session, participant: nil, action: "spare-removed",
                           detail: "\(clusterKey) released \(spare.podCIDR)", interface: interface)
        }
    }

    /// Hands the free spare `clusterKey` to `participant`, in one transaction: the spare
    /// becomes theirs (its network and secrets replace the ones they were given at
    /// registration, which are released), and its recorded cluster and host-key pin move
    /// to their discrete id. Its last verification is dropped: the participant's own key
    /// has to be verified on it before a sheet goes out.
    @discardableResult
    public func assignSpare(session: String, clusterKey: String, to participantID: Int64,
                            via interface: Interface = .cli) throws -> SpareRecord {
        try database.write { db in
            guard var spare = try SpareRecord.filter(SpareRecord.Columns.session == session && SpareRecord.Columns.clusterKey == clusterKey)
                .fetchOne(db) else { throw SpareError.noSuchSpare(clusterKey, session: session) }
            guard let p = try ParticipantRecord.fetchOne(db, key: participantID), p.session == session else {
                throw SpareError.noSuchParticipant(session: session)
            }
            if let owner = spare.participantID { throw SpareError.taken(clusterKey, owner: try Self.discreteID(of: owner, db)) }
            let spareOfTheirs = try SpareRecord.filter(SpareRecord.Columns.participantID == participantID).fetchCount(db)
            let clusterOfTheirs = try ClusterRecord.filter(SharedColumns.session == session && SharedColumns.discreteID == p.discreteID).fetchCount(db)
            if spareOfTheirs + clusterOfTheirs > 0 { throw SpareError.alreadyHasCluster(p.name, session: session) }
            let now = Date()
            spare.participantID = participantID
            spare.assignedAt = now
            try spare.update(db)
            let released = p.podCIDR
            try db.execute(sql: "DELETE FROM \(PodNetworkRows.table) WHERE participantID = ?", arguments: [participantID])
            try db.execute(sql: "UPDATE participant SET podCIDR = ?, updatedAt = ? WHERE id = ?", arguments: [spare.podCIDR, now, participantID])
            try db.execute(sql: "DELETE FROM clusterSecret WHERE participantID = ?", arguments: [participantID])
            for table in ["hostKey", "verification"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE session = ? AND discreteID = ?", arguments: [session, p.discreteID])
            }
            for table in ["cluster", "hostKey"] {
                try db.execute(sql: "UPDATE \(table) SET discreteID = ?, participantID = ? WHERE session = ? AND discreteID = ?",
                               arguments: [p.discreteID, participantID, session, clusterKey])
            }
            try db.execute(sql: "DELETE FROM verification WHERE session = ? AND discreteID = ?", arguments: [session, clusterKey])
            try Self.audit(db, session: session, participant: p.name, action: "spare-assigned",
                           detail: "\(clusterKey) -> \(p.discreteID) (pod network \(spare.podCIDR); \(released) released)", interface: interface)
            return spare
        }
    }
}

/// A spare assignment the registry refused (another labctl got there first, or a bad call).
public enum SpareError: Error, Equatable, Sendable, CustomStringConvertible {
    case noSuchSpare(String, session: String)
    case noSuchParticipant(session: String)
    case taken(String, owner: String)
    case alreadyHasCluster(String, session: String)

    public var description: String {
        switch self {
        case let .noSuchSpare(key, session): return "\(session) has no spare \(key); see `labctl status \(session)`."
        case let .noSuchParticipant(session): return "no such participant in \(session); see `labctl keys list \(session)`."
        case let .taken(key, owner): return "spare \(key) was just handed to \(owner); run `labctl assign` again for the next one."
        case let .alreadyHasCluster(name, session): return "\(name) already has a cluster in \(session); nothing to assign (see `labctl status \(session)`)."
        }
    }
}

import GRDB
import LabCore

/// Pod networks of mixed sizes (issue #12): new clusters get a /21 (or the
/// `LABCTL_POD_CIDR_PREFIX`), clusters registered before keep their /16. The
/// unique `participant.podCIDR` text no longer proves two networks are apart
/// (10.112.0.0/16 and 10.112.8.0/21 differ as text), so every network is also
/// kept as an address interval, and a trigger refuses an insert that overlaps
/// one in use: the database itself still guarantees disjoint pod networks
/// across every session sharing the VPC.
enum PodNetworkMigrations {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8-pod-network-intervals") { db in
            try db.create(table: PodNetworkRows.table) { t in
                t.primaryKey("participantID", .integer).references("participant", onDelete: .cascade)
                t.column("firstAddress", .integer).notNull().indexed()
                t.column("lastAddress", .integer).notNull()
            }
            // Networks in use are disjoint, so only the one starting last at or before
            // NEW.lastAddress can overlap NEW (found through the index on firstAddress).
            try db.execute(sql: """
                CREATE TRIGGER podNetwork_disjoint BEFORE INSERT ON \(PodNetworkRows.table)
                WHEN (SELECT lastAddress FROM \(PodNetworkRows.table) WHERE firstAddress <= NEW.lastAddress ORDER BY firstAddress DESC LIMIT 1) >= NEW.firstAddress
                BEGIN SELECT RAISE(ABORT, 'pod network overlaps one in use'); END
                """)
            // Existing allocations keep exactly the network they have (no re-numbering).
            for row in try Row.fetchAll(db, sql: "SELECT id, podCIDR FROM participant ORDER BY id") {
                guard let network = IPv4CIDR(row["podCIDR"] as String) else { continue }
                try PodNetworkRows.insert(participantID: row["id"], network: network.description, db)
            }
        }
    }
}

/// The `podNetwork` table: one address interval per participant's pod network.
enum PodNetworkRows {
    static let table = "podNetwork"

    static func insert(participantID: Int64, network: String, _ db: Database) throws {
        guard let cidr = IPv4CIDR(network) else { throw RegistryError.pool(.invalidRange(network, clusterPrefix: 32)) }
        try db.cachedStatement(sql: "INSERT INTO \(table) (participantID, firstAddress, lastAddress) VALUES (?, ?, ?)")
            .execute(arguments: [participantID, Int64(cidr.address), Int64(cidr.lastAddress)])
    }

    static func usage(_ db: Database) throws -> PodNetworkUsage {
        // Spare clusters' networks are in use too (Migrations+Spares.swift).
        // Read once per intake batch over every network in the VPC: a cursor with columns
        // by position (by name, thousands of rows cost ~5 % of the intake writer's time).
        let rows = try Row.fetchCursor(db.cachedStatement(
            sql: "SELECT firstAddress, lastAddress FROM \(table) UNION ALL SELECT firstAddress, lastAddress FROM \(SpareMigrations.table)"))
        var intervals: [(first: UInt32, last: UInt32)] = []
        while let row = try rows.next() {
            intervals.append((first: UInt32(truncatingIfNeeded: row[0] as Int64), last: UInt32(truncatingIfNeeded: row[1] as Int64)))
        }
        return PodNetworkUsage(intervals: intervals)
    }
}

extension Registry {
    /// The pool's size and how many of its networks are free (for the dashboard).
    public func podNetworkCapacity() throws -> (total: Int, free: Int) {
        let usage = try database.read { db in try PodNetworkRows.usage(db) }
        return (pool.candidates.count, pool.freeCount(usage))
    }
}

import GRDB

extension Registry {
    /// Per session: clusters recorded and masters whose latest verification was ready.
    /// Two grouped counts for every session at once (`labctl status` of a whole event),
    /// instead of fetching and decoding each session's rows (a verification row carries
    /// its checks as JSON) just to count them.
    public func deploymentCounts() throws -> [String: (clusters: Int, verifiedReady: Int)] {
        try database.read { db in
            var counts: [String: (clusters: Int, verifiedReady: Int)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT session, COUNT(*) AS n FROM \(ClusterRecord.databaseTableName) GROUP BY session") {
                counts[row["session"], default: (0, 0)].clusters = row["n"]
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT session, COUNT(*) AS n FROM \(VerificationRecord.databaseTableName) WHERE ready GROUP BY session
                """) {
                counts[row["session"], default: (0, 0)].verifiedReady = row["n"]
            }
            return counts
        }
    }
}

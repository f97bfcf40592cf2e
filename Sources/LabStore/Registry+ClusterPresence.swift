import GRDB

extension Registry {
    /// Whether any cluster of `session` is recorded (it was applied). A cached
    /// EXISTS query: the intake asks this for every accepted submission (late
    /// joiners), and a session that was never applied, the usual case while a
    /// room joins, must not cost a full cluster fetch each time.
    public func hasClusters(session: String) throws -> Bool {
        try database.read { db in
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM cluster WHERE session = ?)"),
                              arguments: [session]) ?? false
        }
    }
}

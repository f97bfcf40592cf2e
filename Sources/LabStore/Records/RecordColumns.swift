import GRDB

// Each queried column named once (GRDB's `Columns` convention) instead of a string at every query.

extension SessionRecord {
    public enum Columns { public static let name = Column("name") }
}

extension ParticipantRecord {
    public enum Columns {
        public static let id = Column("id")
        public static let session = Column("session")
        public static let name = Column("name")
    }
}

extension KeyRecord {
    public enum Columns {
        public static let id = Column("id")
        public static let participantID = Column("participantID")
        public static let session = Column("session")
        public static let fingerprint = Column("fingerprint")
        public static let active = Column("active")
    }
}

/// Columns several tables share under one name: every row's session; cluster, host-key and
/// verification rows' discrete id and owning participant row.
enum SharedColumns {
    static let session = Column("session")
    static let discreteID = Column("discreteID")
    static let participantID = Column("participantID")
}

extension AuditEntry {
    public enum Columns { public static let id = Column("id"), session = Column("session") }
}

extension AdminLoginRecord {
    public enum Columns { public static let digest = Column("digest"), expiresAt = Column("expiresAt") }
}

extension DerivableRequest<ParticipantRecord> {
    /// The participants of a session, by name.
    func inSession(_ session: String) -> Self {
        filter(ParticipantRecord.Columns.session == session).order(ParticipantRecord.Columns.name)
    }

    func named(_ name: String, in session: String) -> Self {
        filter(ParticipantRecord.Columns.session == session && ParticipantRecord.Columns.name == name)
    }
}

/// A participant together with their active key: what readers of the registry need.
public struct Participant: Equatable, Sendable {
    public var record: ParticipantRecord
    public var key: KeyRecord

    public var name: String { record.name }
    public var discreteID: String { record.discreteID }
    public var podCIDR: String { record.podCIDR }
    public var fingerprint: String { key.fingerprint }
}

/// What `Registry.register` did.
public enum RegistrationOutcome: Equatable, Sendable {
    case added(Participant)
    case keyReplaced(Participant, previousFingerprint: String)
    case unchanged(Participant)

    public var participant: Participant {
        switch self {
        case .added(let p), .unchanged(let p), .keyReplaced(let p, _): return p
        }
    }
}

/// What to do when the name is already registered in the session.
public enum ExistingNamePolicy: Sendable {
    /// The trainer or the key file is the authority: replace the key, keep history.
    case replaceKey
    /// Self-service intake: a name that is taken is refused.
    case refuse
}

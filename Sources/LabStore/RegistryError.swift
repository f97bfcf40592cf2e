import LabCore

/// Registry refusals; each message names the thing, the reason and the next step.
public enum RegistryError: Error, Equatable, Sendable, CustomStringConvertible {
    case keyInUse(fingerprint: String, owner: String, session: String)
    case nameTaken(name: String, session: String)
    case noSuchParticipant(name: String, session: String)
    case noSuchSession(String)
    case pool(PoolError)
    /// The session already has its `max_participants`.
    case sessionFull(session: String, cap: Int)
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case let .keyInUse(fp, owner, session):
            return "this key (\(fp)) is already registered to \(owner) in session \(session); every participant needs their own key (ssh-keygen -t ed25519)."
        case let .nameTaken(name, session):
            return "\(name) is already registered in session \(session); use your personal edit link to replace your key, or ask the trainer."
        case let .noSuchParticipant(name, session):
            return "no participant \(name) in session \(session); see `labctl keys list \(session)`."
        case let .noSuchSession(s):
            return "no session \(s) in the registry; create it with `labctl create-config \(s) --ssh-from CIDR` or add a key with `labctl keys add \(s) …`."
        case let .pool(e):
            return e.description
        case let .sessionFull(session, cap):
            return "session \(session) is full: it has \(cap) participants, its max_participants. To take more, raise max_participants in sessions/\(session).tfvars (up to 1000); to drop unwanted registrations, see `labctl keys remove \(session) --registered-after TIME`."
        case let .cannotOpen(path, reason):
            return "cannot open the database \(path): \(reason). Check --db / LABCTL_DB and the folder's permissions."
        }
    }
}

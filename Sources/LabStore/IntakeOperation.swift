import LabCore

/// One self-service change from the intake service, applied by
/// `Registry.applyIntake` inside a shared transaction.
public enum IntakeOperation: Sendable {
    /// A participant joins the session whose open enrollment code is `code`.
    /// A taken name is refused (`ExistingNamePolicy.refuse`); a personal edit token is issued.
    case enroll(code: String, name: ParticipantName, displayName: String, email: String?, key: SSHPublicKey, via: Interface)
    /// The holder of a personal edit token replaces their own key.
    case replaceKey(token: String, key: SSHPublicKey, via: Interface)
}

/// What an intake operation did.
public enum IntakeOutcome: Sendable, Equatable {
    /// Added; `editToken` is the personal secret, returned this once and stored only as a digest.
    case enrolled(Participant, editToken: SecretToken)
    case keyReplaced(Participant, previousFingerprint: String)
    case unchanged(Participant)

    public var participant: Participant {
        switch self {
        case .enrolled(let p, _), .keyReplaced(let p, _), .unchanged(let p): return p
        }
    }
}

/// Why an intake operation was refused. Unknown and closed codes are one case
/// on purpose: the service must not tell which.
public enum IntakeRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownOrClosedCode
    case unknownToken
    case registry(RegistryError)
    /// The storage failed for this one operation (the message is for the log, not the user).
    case storage(String)

    public var description: String {
        switch self {
        case .unknownOrClosedCode:
            return "this join link is not valid (unknown, or intake for the session is closed); ask your trainer for the current link."
        case .unknownToken:
            return "this personal link is not valid (mistyped, or the participant was removed); ask your trainer."
        case .registry(let e):
            return e.description
        case .storage:
            return "the submission could not be stored; try again in a minute, or tell your trainer."
        }
    }
}

import HTTPTypes
import Hummingbird
import LabCore
import LabStore

/// An error the service answers with: a status, a stable machine code and a
/// message for people (the thing, the reason, the next step). It never holds
/// submitted material, SQL or a stack trace. JSON clients get
/// `{"error": code, "message": message}`; browsers get a page.
public struct IntakeHTTPError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// For 422: LabCore's refusal code (`private-key`, `unsupported-type`, …).
    public var reason: String?
    public var retryAfterSeconds: Int?

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, reason: String? = nil, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.reason = reason
        self.retryAfterSeconds = retryAfterSeconds
    }

    static func malformed(_ message: String) -> Self { .init(.badRequest, "malformed", message) }

    static let notFound = IntakeHTTPError(.notFound, "not-found",
        "this link is not valid: it is unknown, or intake for the session is closed. Ask your trainer for the current link.")

    static let tooLarge = IntakeHTTPError(.contentTooLarge, "too-large",
        "the submission is larger than \(IntakeLimits.submissionBodyBytes / 1024) KiB; a public key is one short line. Send only ~/.ssh/id_ed25519.pub.")

    static let csrf = IntakeHTTPError(.forbidden, "forbidden",
        "the form expired or came from another site. Reload the page and submit it again.")

    static let unauthorized = IntakeHTTPError(.unauthorized, "unauthorized",
        "this needs the trainer's admin token: send `Authorization: Bearer <token>` (printed by the first `labctl serve`).")

    static func rateLimited(retryAfter seconds: Int) -> Self {
        .init(.tooManyRequests, "rate-limited", "too many submissions from your address; wait \(seconds) s and try again.", retryAfterSeconds: seconds)
    }

    static func sessionBusy(retryAfter seconds: Int) -> Self {
        .init(.tooManyRequests, "session-busy", "this session is taking more submissions than it allows per minute; wait \(seconds) s and try again, or tell your trainer.",
              retryAfterSeconds: seconds)
    }

    static func keyRefused(_ refusal: KeyRefusal) -> Self {
        .init(.unprocessableContent, "key-refused", "key refused: \(refusal.message)", reason: refusal.code)
    }

    static func name(_ error: NameError) -> Self { .malformed(error.description) }

    /// A refused intake operation as the participant should read it.
    static func refusal(_ refusal: IntakeRefusal) -> Self {
        switch refusal {
        case .unknownOrClosedCode:
            return .notFound
        case .unknownToken:
            return .init(.notFound, "not-found", refusal.description)
        case .registry(.keyInUse(_, _, let session)):
            // Never name the other participant.
            return .init(.conflict, "key-in-use", "this key is already registered in session \(session). Every participant needs their own key: create one with ssh-keygen -t ed25519 and send the .pub file. Registered it yourself earlier? Use your personal link.")
        case .registry(.nameTaken(let name, let session)):
            return .init(.conflict, "name-taken", "\(name) is already registered in session \(session). If that is you, use the personal link you got when you registered; otherwise ask your trainer.")
        case .registry(.pool(let pool)):
            // The participant can do nothing about it; the trainer finds the setting to widen in the log and the dashboard.
            return .init(.serviceUnavailable, "lab-full", "the lab is full: tell the trainer (every cluster network of this lab is taken).",
                         reason: pool.isExhausted ? "pod-network-pool-exhausted" : "pod-network-pool")
        case .registry(.sessionFull(let session, _)):
            // Like lab-full: only the trainer can act (raise max_participants), so the participant is told to tell them.
            return .init(.serviceUnavailable, "session-full",
                         "session \(session) is full: it has as many participants as its trainer allows. Tell the trainer, who can raise the limit.")
        case .registry(let other):
            return .init(.conflict, "refused", other.description)
        case .storage:
            return .init(.serviceUnavailable, "unavailable", refusal.description)
        }
    }

    static let internalError = IntakeHTTPError(.internalServerError, "internal",
        "something went wrong on our side; try again in a minute or tell your trainer.")
}

import Foundation
import LabCore
import LabStore
import LabWorkflows
import Synchronization

/// What the routes share: the registry, the group-commit writer, the limits,
/// the admin token's digest and the lab's files (sheets, cost).
final class IntakeService: Sendable {
    let registry: Registry
    let writer: SubmissionWriter
    let settings: IntakeSettings
    let adminTokenDigest: String
    /// The lab the use cases work on, when the server knows its directory (`labctl serve` always does).
    let lab: LabContext?
    var files: LabFiles? { lab?.files }
    /// Refused submissions, unknown codes and tokens, per client address.
    let submissionLimiter: RateLimiter
    /// Submissions per session, whoever sends them: a leaked link cannot flood a session.
    let sessionLimiter: RateLimiter
    let loginLimiter: RateLimiter
    let joinCodes: JoinCodeCache
    let forms: FormProtection
    let lateJoiners: LateJoiners?
    /// Each session's `max_participants` (the dashboard shows a full session).
    let participantCaps: ParticipantCap
    private let base: Mutex<String>

    init(dependencies: IntakeServer.Dependencies) {
        registry = dependencies.registry
        settings = dependencies.settings
        adminTokenDigest = dependencies.adminTokenDigest
        lab = dependencies.settings.labRoot.map { LabContext(registry: dependencies.registry, root: $0) }
        let caps = ParticipantCap(files: dependencies.settings.labRoot.map { LabFiles(root: $0) })
        writer = SubmissionWriter(registry: dependencies.registry, participantCap: { caps.capOrDefault(for: $0) })
        participantCaps = caps
        submissionLimiter = RateLimiter(perMinute: dependencies.settings.submissionsPerMinute)
        sessionLimiter = RateLimiter(perMinute: dependencies.settings.sessionSubmissionsPerMinute)
        joinCodes = JoinCodeCache(registry: dependencies.registry)
        loginLimiter = RateLimiter(perMinute: dependencies.settings.loginAttemptsPerMinute)
        forms = FormProtection(publicURL: dependencies.settings.publicURL)
        lateJoiners = dependencies.lateJoiners
        base = Mutex(dependencies.settings.baseURL())
    }

    /// The base URL for links (updated once the port is known when it was 0).
    var baseURL: String { base.withLock { $0 } }

    func serverStarted(port: Int) {
        base.withLock { $0 = settings.baseURL(boundPort: port) }
    }

    func joinURL(code: String) -> String { "\(baseURL)/join/\(code)" }
    func personalURL(token: String) -> String { "\(baseURL)/me/\(token)" }

    /// The participant's own sheet (the body of their mail), nil while it cannot be made yet.
    func ownSheet(for participant: Participant) throws -> HTML? {
        guard let lab else { return nil }
        // Trusted: Mustache escapes every value it puts into the template.
        return try OwnSheet(lab).html(for: participant).map { HTML(stringLiteral: $0) }
    }

    /// Takes one submission from `session`'s budget, or refuses with 429.
    func admitSubmission(to session: String) throws {
        if case .failure(let wait) = sessionLimiter.take(session) {
            throw IntakeHTTPError.sessionBusy(retryAfter: wait.seconds)
        }
    }

    /// Whether `token` is the admin token (digests compared in constant time).
    func isAdminToken(_ token: String) -> Bool {
        SecretToken.constantTimeEquals(SecretToken.digest(of: token), adminTokenDigest)
    }
}

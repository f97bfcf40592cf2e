import Foundation
import LabCore
import LabStore
import Synchronization

/// Open join codes and their sessions, remembered for a second.
///
/// `GET /join/<code>` is the busiest route of a class (a room loads the form at
/// once). An async SQLite read per request hopped threads twice for an answer
/// SQLite has in microseconds and cut the route to 0.23× a bare Hummingbird
/// route. Codes change rarely: a positive answer is kept for `lifetime`, this
/// process's own open/close/rotate clears the cache at once, and a change made
/// by another process (`labctl close`) is seen within `lifetime`. Unknown codes
/// are never cached (guessing must not fill memory) and always go to SQLite.
/// A submission is safe either way: its write transaction checks the code again.
final class JoinCodeCache: Sendable {
    private struct Entry {
        var session: String
        var expires: ContinuousClock.Instant
    }

    private let registry: Registry
    private let lifetime: Duration
    private let entries = Mutex<[String: Entry]>([:])
    /// Open codes are one per session; more entries than this means churn (rotations): start over.
    private let limit = 4_096

    init(registry: Registry, lifetime: Duration = .seconds(1)) {
        self.registry = registry
        self.lifetime = lifetime
    }

    /// The session whose intake is open under `code`, or nil (unknown and closed look the same).
    func session(forCode code: String) async throws -> String? {
        let now = ContinuousClock.now
        if let hit = entries.withLock({ $0[code] }), hit.expires > now { return hit.session }
        guard let session = try await registry.openSession(forCode: code) else {
            entries.withLock { _ = $0.removeValue(forKey: code) }
            return nil
        }
        entries.withLock { entries in
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[code] = Entry(session: session, expires: now + lifetime)
        }
        return session
    }

    /// Forget everything (a code was opened, closed or replaced in this process).
    func invalidate() {
        entries.withLock { $0.removeAll() }
    }
}

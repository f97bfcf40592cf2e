import Foundation

/// `labctl serve --reap-every 15m`: `ReapSessions` (as `labctl reap -y`) now and after
/// every pause, until the service stops. Free of ServiceLifecycle on purpose: the
/// caller says what a pause is (a sleep that ends early on shutdown) and when it is
/// stopping, so a stopping service never starts another Terraform run.
public struct ReapSchedule: Sendable {
    /// What the service reports: a session that was not simply "not due", or a run that failed.
    public enum Event: Sendable, Equatable {
        case reaped(ReapSessions.Entry)
        case failed(String)
    }

    public let interval: TimeInterval
    private let reap: @Sendable () async throws -> ReapSessions.Outcome

    public init(reaper: ReapSessions, every interval: TimeInterval) {
        self.init(every: interval) { try await reaper.run(dryRun: false) }
    }

    /// `reap` replaces the reaper (tests).
    public init(every interval: TimeInterval, reap: @escaping @Sendable () async throws -> ReapSessions.Outcome) {
        self.interval = interval
        self.reap = reap
    }

    /// Runs until `stopping()` is true before a run or `pause(interval)` returns false
    /// (shutdown began during the wait). Returns how many runs started.
    @discardableResult
    public func run(stopping: @Sendable () -> Bool,
                    pause: @Sendable (TimeInterval) async -> Bool,
                    report: @Sendable (Event) -> Void) async -> Int {
        var runs = 0
        while !stopping() {
            runs += 1
            do {
                for entry in try await reap().entries where entry.action != .notDue { report(.reaped(entry)) }
            } catch {
                report(.failed("\(error)"))
            }
            guard await pause(interval) else { break }
        }
        return runs
    }
}

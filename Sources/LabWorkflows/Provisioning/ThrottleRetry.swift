import Foundation

/// How `apply` (and the other batch verbs) retry a session whose Terraform run failed
/// because AWS throttled its API calls (EC2 `RequestLimitExceeded`, `Throttling`):
/// the provider already retried each call and gave up, so the whole run waits and
/// starts again, bounded, with exponential backoff and jitter. Resources created
/// before the throttle are in the state, so the next run only does what is left.
public struct ThrottleRetry: Sendable, Equatable {
    /// Extra runs after the first throttled one.
    public var retries: Int
    /// Wait before the first retry; doubled for each further one, capped at `maxDelay`.
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval

    public init(retries: Int = 3, baseDelay: TimeInterval = 30, maxDelay: TimeInterval = 300) {
        self.retries = retries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// From `LABCTL_THROTTLE_RETRIES` and `LABCTL_THROTTLE_BACKOFF` (seconds before the first retry).
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> ThrottleRetry {
        var r = ThrottleRetry()
        if let n = env["LABCTL_THROTTLE_RETRIES"].flatMap(Int.init), n >= 0 { r.retries = n }
        if let s = env["LABCTL_THROTTLE_BACKOFF"].flatMap(Double.init), s >= 0 { r.baseDelay = s }
        return r
    }

    /// The wait before run `attempt + 1` (attempt 1 is the first run), with ±20 % jitter so
    /// that sessions throttled together do not come back together.
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        let plain = min(maxDelay, baseDelay * pow(2, Double(max(0, attempt - 1))))
        return plain * Double.random(in: 0.8...1.2)
    }
}

import Foundation
import Synchronization

/// A per-client token bucket: `perMinute` requests per minute, with bursts up
/// to the same number. In memory, per process; clients are keyed by IP address.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let capacity: Double
    let refillPerSecond: Double
    private let buckets = Mutex<[String: Bucket]>([:])
    /// Above this many tracked clients, idle full buckets are dropped.
    private let pruneThreshold = 10_000

    init(perMinute: Int) {
        capacity = Double(max(perMinute, 1))
        refillPerSecond = Double(max(perMinute, 1)) / 60
    }

    /// Takes one token for `client`; when none is left, the seconds until one is.
    func take(_ client: String, now: ContinuousClock.Instant = .now) -> Result<Void, RetryAfter> {
        buckets.withLock { buckets in
            var bucket = buckets[client] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(capacity, bucket.tokens + seconds * refillPerSecond)
            bucket.updated = now
            defer {
                buckets[client] = bucket
                if buckets.count > pruneThreshold { prune(&buckets, now: now) }
            }
            guard bucket.tokens >= 1 else {
                return .failure(RetryAfter(seconds: Int(((1 - bucket.tokens) / refillPerSecond).rounded(.up))))
            }
            bucket.tokens -= 1
            return .success(())
        }
    }

    /// Whether `client` has a token left, without taking it.
    func check(_ client: String, now: ContinuousClock.Instant = .now) -> Result<Void, RetryAfter> {
        buckets.withLock { buckets in
            guard let bucket = buckets[client] else { return .success(()) }
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let tokens = min(capacity, bucket.tokens + seconds * refillPerSecond)
            guard tokens >= 1 else {
                return .failure(RetryAfter(seconds: Int(((1 - tokens) / refillPerSecond).rounded(.up))))
            }
            return .success(())
        }
    }

    private func prune(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant) {
        let fullAfter = Duration.seconds(capacity / refillPerSecond)
        buckets = buckets.filter { now - $0.value.updated < fullAfter }
    }

    struct RetryAfter: Error { let seconds: Int }
}

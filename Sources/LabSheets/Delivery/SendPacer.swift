import Foundation

/// Keeps sending under a rate (mails per minute), so a relay's limits and spam
/// filters are not tripped by a whole class arriving in the same second.
public struct SendPacer {
    public let interval: Double
    private let now: () -> Double
    private let sleep: (Double) -> Void
    private var last: Double?

    public init(perMinute: Int, now: @escaping () -> Double = { Date().timeIntervalSinceReferenceDate },
                sleep: @escaping (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }) {
        interval = 60.0 / Double(max(1, perMinute))
        self.now = now
        self.sleep = sleep
    }

    /// Returns once the next mail may go: at once for the first, `interval` after the previous one otherwise.
    public mutating func waitTurn() {
        if let last {
            let wait = last + interval - now()
            if wait > 0 { sleep(wait) }
        }
        last = now()
    }
}

import Foundation
import Logging
import Synchronization

/// Says in the log that connections were refused at a cap, at most once a minute with
/// how many: a flood of 10,000 sockets is one warning, not 10,000 lines.
final class RefusalLog: Sendable {
    private let state = Mutex<(last: Date?, quiet: Int)>((nil, 0))
    private let interval: TimeInterval

    init(interval: TimeInterval = 60) { self.interval = interval }

    func note(_ refusal: ConnectionLimiter.Refusal, logger: Logger) {
        let now = Date()
        let earlier: Int? = state.withLock { state in
            if let last = state.last, now.timeIntervalSince(last) < interval {
                state.quiet += 1
                return nil
            }
            defer { state = (now, 0) }
            return state.quiet
        }
        guard let earlier else { return }
        let more = earlier > 0 ? " (and \(earlier) more refused since the last warning)" : ""
        logger.warning("refused a connection: \(refusal)\(more). Raise --max-connections or --max-connections-per-address if these are real participants.")
    }
}

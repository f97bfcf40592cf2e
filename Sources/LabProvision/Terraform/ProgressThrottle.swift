import Foundation

/// Decides which of a session's progress changes are worth a line.
///
/// On a terminal every change is shown (someone is watching the live line).
/// Into a log or a pipe (CI, the demo's step logs) one line per resource buries
/// the summary, so a line is kept only when the phase changes, a quarter of the
/// planned resources is done since the last line, or `interval` has passed.
public struct ProgressThrottle: Sendable {
    public let everyChange: Bool
    public let interval: TimeInterval

    private var lastPhase: String?
    private var lastDone = 0
    private var lastTime: Date?

    public init(everyChange: Bool, interval: TimeInterval = 10) {
        self.everyChange = everyChange
        self.interval = interval
    }

    /// True when the progress `p` at `now` should be printed; remembers it if so.
    public mutating func shouldPrint(_ p: ProgressParser, now: Date = Date()) -> Bool {
        let print = everyChange || lastTime == nil || p.phase != lastPhase
            || quarterDone(p) || now.timeIntervalSince(lastTime!) >= interval
        if print {
            lastPhase = p.phase
            lastDone = p.done
            lastTime = now
        }
        return print
    }

    /// A quarter (or more) of the planned resources finished since the last line.
    private func quarterDone(_ p: ProgressParser) -> Bool {
        guard let planned = p.planned, planned > 0 else { return false }
        return (p.done - lastDone) * 4 >= planned
    }
}

/// A `ProgressThrottle` for the reader thread of one Terraform run.
/// `@unchecked Sendable`: the throttle's state is only touched under `lock`.
public final class ProgressGate: @unchecked Sendable {
    private var throttle: ProgressThrottle
    private let lock = NSLock()

    /// `everyChange` when someone watches a terminal; otherwise throttled.
    public init(everyChange: Bool, interval: TimeInterval = 10) {
        throttle = ProgressThrottle(everyChange: everyChange, interval: interval)
    }

    public func shouldPrint(_ p: ProgressParser) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return throttle.shouldPrint(p)
    }
}

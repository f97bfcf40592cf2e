import Foundation
import LabCore

/// How long participants waited for their clusters: from the start of the apply that
/// built their current instances to the first verified "ready" after it.
public struct TimeToReady: Sendable, Equatable, Codable {
    /// Participants counted (ready after an apply).
    public var count: Int
    /// Seconds; nil when nobody is counted.
    @NullEncoded public var p50: TimeInterval?
    @NullEncoded public var p95: TimeInterval?

    /// One participant's history, oldest first, and the session's apply starts.
    public static func duration(history: [(state: ParticipantState, at: Date)], applyStarts: [Date]) -> TimeInterval? {
        // The latest time the participant reached ready…
        guard let readyIndex = history.lastIndex(where: { $0.state == .ready }) else { return nil }
        // …counted from the start of the apply that built what they are running: the latest
        // apply start before their last provisioned/rebuilt entry (or before ready, if none).
        let build = history[..<readyIndex].last(where: { $0.state == .provisioned || $0.state == .rebuilt })?.at
        let reference = build ?? history[readyIndex].at
        guard let start = applyStarts.filter({ $0 <= reference }).max() else { return nil }
        return history[readyIndex].at.timeIntervalSince(start)
    }

    public static func of(_ durations: [TimeInterval]) -> TimeToReady {
        let sorted = durations.sorted()
        return TimeToReady(count: sorted.count, p50: percentile(sorted, 50), p95: percentile(sorted, 95))
    }

    /// Nearest-rank percentile of sorted values: the smallest value with at least p% at or below it.
    static func percentile(_ sorted: [TimeInterval], _ p: Double) -> TimeInterval? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[max(1, min(rank, sorted.count)) - 1]
    }

    enum CodingKeys: String, CodingKey { case count, p50 = "p50_seconds", p95 = "p95_seconds" }
}

import Foundation
import LabCore
import LabWorkflows

/// The room table of `labctl status <session>`: one row per participant and the
/// session's time-to-ready (issue 14).
enum StatusRoom {
    static func render(_ room: SessionRoom, now: Date = Date()) -> String {
        var lines = ["", "Room \(room.session)"]
        if let spares = room.spares.line { lines.append("Spares: \(spares)") }
        guard !room.participants.isEmpty else {
            return (lines + ["  nobody yet (labctl open \(room.session), or labctl keys add)"]).joined(separator: "\n")
        }
        lines.append(TextTable(header: ["PARTICIPANT", "ID", "STATE", "SINCE", "LAST CHECK"]).render(room.participants.map { r in
            [r.name, r.discreteID, colour(r.state), ago(r.since, now: now),
             r.lastCheck.map { "\(ago($0, now: now)): \(r.lastCheckSummary ?? "")" } ?? "-"]
        }))
        for r in room.participants { if let pending = r.keyNotOnCluster { lines.append("\(Terminal.red(Terminal.bad)) \(r.name): \(pending)") } }
        let ttr = room.timeToReady
        if let p50 = ttr.p50, let p95 = ttr.p95 {
            lines.append("Time to ready (apply start → verified ready, \(ttr.count) participant\(ttr.count == 1 ? "" : "s")): p50 \(duration(p50)), p95 \(duration(p95))")
        } else {
            lines.append("Time to ready: nobody verified ready after an apply yet (labctl apply, then labctl verify --wait).")
        }
        return lines.joined(separator: "\n")
    }

    static func colour(_ state: ParticipantState) -> String {
        switch state {
        case .ready: Terminal.green(state.rawValue)
        case .failed: Terminal.red(state.rawValue)
        default: Terminal.yellow(state.rawValue)
        }
    }

    /// "3m 05s ago" style, for the SINCE and LAST CHECK columns.
    static func ago(_ date: Date, now: Date) -> String { duration(max(0, now.timeIntervalSince(date))) + " ago" }

    static func duration(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return String(format: "%dm %02ds", s / 60, s % 60) }
        return String(format: "%dh %02dm", s / 3600, (s % 3600) / 60)
    }
}

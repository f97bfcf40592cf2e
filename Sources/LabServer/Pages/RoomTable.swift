import Foundation
import LabWorkflows

/// The room on the session page: every participant's class-day state, since when, the
/// last check, and the session's time to ready (the same as `labctl status <session>`).
struct RoomTable {
    var room: SessionRoom

    /// Seconds between reloads while someone is not ready; nil once everyone is.
    var refreshSeconds: Int? { room.participants.isEmpty || room.settled ? nil : 15 }

    func render() -> HTML {
        guard !room.participants.isEmpty else { return "<p class=\"muted\">Nobody in the room yet.</p>" }
        let ttr = room.timeToReady
        let summary: HTML = ttr.p50.flatMap { p50 in ttr.p95.map { p95 -> HTML in
            "<p id=\"time-to-ready\">Time to ready (apply start → verified ready, \(ttr.count) participant(s)): p50 \(Self.duration(p50)), p95 \(Self.duration(p95))</p>"
        } } ?? "<p id=\"time-to-ready\" class=\"muted\">Time to ready: nobody verified ready after an apply yet.</p>"
        return """
        <table id="room">
        <thead><tr><th>Participant</th><th>State</th><th>Since</th><th>Last check</th></tr></thead>
        <tbody>
        \(room.participants.map { r -> HTML in
            let check: HTML = r.lastCheck.map { "\(Layout.date($0)) · \(r.lastCheckSummary ?? "")" } ?? "<span class=\"muted\">not checked</span>"
            return """
            <tr data-participant="\(r.discreteID)"><td><code>\(r.discreteID)</code></td><td><span class="\(Self.cssClass(r))">\(r.state.rawValue)</span>\(r.detail.map { "<br><span class=\"muted\">\($0)</span>" as HTML } ?? "")\(r.keyNotOnCluster.map { "<br><span class=\"state-closed key-pending\">\($0)</span>" as HTML } ?? "")</td>
            <td>\(Layout.date(r.since))</td><td>\(check)</td></tr>
            """
        })
        </tbody>
        </table>
        \(summary)
        \(room.spares.line.map { "<p id=\"spares\">Spares: \($0)</p>" as HTML } ?? "")
        \(refreshSeconds.map { "<p class=\"muted\">This page reloads every \($0) s until everyone is ready.</p>" as HTML } ?? "")
        """
    }

    static func cssClass(_ r: SessionRoom.Row) -> String {
        switch r.state {
        case .ready: "state-open"
        case .failed: "state-closed"
        default: "muted"
        }
    }

    static func duration(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded())
        return s < 60 ? "\(s) s" : "\(s / 60) min \(s % 60) s"
    }
}

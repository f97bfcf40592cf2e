import LabWorkflows

/// `GET /admin`: every session with participant counts, intake state and deployment counts.
struct AdminSessionsPage {
    /// The admin API's session summaries, shown as they are (one type for both).
    var rows: [SessionStatus]
    var csrf: String
    var notice: String?
    var podPool: PodPoolSummary?

    func render() -> HTML {
        let body: HTML = rows.isEmpty
            ? "<p>No sessions yet. Open intake for one below, or create it with <code>labctl create-config NAME</code>.</p>"
            : """
            <table id="sessions">
            <thead><tr><th>Session</th><th>Participants</th><th>Intake</th><th>Join link</th><th>Clusters</th><th>Ready</th><th>End</th></tr></thead>
            <tbody>
            \(rows.map { row -> HTML in
                let intake = IntakeState(rawValue: row.intake) ?? .none
                // No end, the last hour or ended: the end shows in red.
                let endAlert = row.lifetime != "running"
                return """
                <tr><td><a href="/admin/sessions/\(row.session)">\(row.session)</a></td><td>\(row.participants)\(row.participants >= row.max_participants ? HTML(" <span class=\"state-closed\" title=\"max_participants reached\">full</span>") : "")</td>
                <td class="state-\(intake.rawValue)">\(intake.label)</td>
                <td>\(row.join_url.map { url -> HTML in "<code>\(url)</code>" } ?? "–")</td>
                <td>\(row.clusters)</td><td>\(row.ready)</td>
                <td class="\(endAlert ? "state-closed" : "")">\(row.lifetime_text ?? "–")</td></tr>
                """
            })
            </tbody>
            </table>
            """
        return Layout.page(title: "Sessions", nav: AdminNav.bar(csrf: csrf), """
        \(Layout.notice(notice))
        \(body)
        \(podPool?.render() ?? "")
        <h2>Open intake for a session</h2>
        <form method="post" action="/admin/open">
        <input type="hidden" name="csrf" value="\(csrf)">
        <label for="session">Session name</label>
        <input id="session" name="session" type="text" required maxlength="40" pattern="[a-z0-9][a-z0-9-]*" placeholder="session-1">
        <button type="submit">Open intake</button>
        </form>
        """)
    }
}

/// Whether a session takes self-service submissions.
enum IntakeState: String, Sendable {
    case open, closed, none

    var label: String {
        switch self {
        case .open: return "open"
        case .closed: return "closed"
        case .none: return "not opened"
        }
    }
}

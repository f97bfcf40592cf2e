import Foundation
import LabStore

/// Who a burst removal takes (`POST /admin/sessions/<s>/remove-burst` before it is
/// confirmed): the list, and a button that sends the same window with `confirm=1`.
struct BurstRemovalPage {
    var session: String
    var after: String
    var before: String
    var participants: [Participant]
    var csrf: String

    func render() -> HTML {
        Layout.page(title: "Remove a burst · \(session)", heading: "Remove \(participants.count) registration(s) from \(session)?",
                    nav: AdminNav.bar(csrf: csrf), """
        <p>Everyone registered from <code>\(after)</code>\(before.isEmpty ? HTML("") : " until before <code>\(before)</code>"). \
        Their keys go, and their pod networks are free again; each removal is in the audit log.</p>
        <table id="burst">
        <thead><tr><th>Name</th><th>Discrete id</th><th>Joined</th><th>Pod CIDR</th></tr></thead>
        <tbody>
        \(participants.map { p -> HTML in
            "<tr><td>\(p.record.displayName)<br><code class=\"muted\">\(p.name)</code></td><td><code>\(p.discreteID)</code></td><td>\(Layout.date(p.record.createdAt))</td><td>\(p.podCIDR)</td></tr>"
        })
        </tbody>
        </table>
        <form method="post" action="/admin/sessions/\(session)/remove-burst"><input type="hidden" name="csrf" value="\(csrf)">\
        <input type="hidden" name="registered_after" value="\(after)"><input type="hidden" name="registered_before" value="\(before)">\
        <input type="hidden" name="confirm" value="1"><button type="submit" class="danger">Remove these \(participants.count)</button></form>
        <p><a href="/admin/sessions/\(session)">Cancel</a></p>
        """)
    }
}

import Foundation
import LabStore

/// `GET /me/<token>`: one participant's own entry: discrete id, fingerprint,
/// how to check it locally, a form to replace the key, and — once deployed —
/// their own connection sheet. Nothing about anyone else.
struct OwnPage {
    var participant: Participant
    var token: String
    var personalURL: String
    var csrf: String
    var sheet: HTML?
    var justRegistered = false
    var notice: String?
    var error: String?
    /// Why a key replaced after deploy is not on the participant's cluster yet.
    var keyNotOnCluster: String?

    func render() -> HTML {
        let p = participant
        let welcome: HTML = justRegistered
            ? "<p class=\"notice ok\" role=\"status\">Registered. Keep this page: it is your personal link.</p>"
            : Layout.notice(notice, kind: "ok")
        return Layout.page(title: "Your lab key", heading: "Hello \(p.record.displayName)", """
        \(welcome)
        \(Layout.notice(error))
        \(keyNotOnCluster.map { why -> HTML in "<p class=\"notice\" id=\"key-not-on-cluster\" role=\"status\">Your new key is stored but not on your cluster yet (\(why)). Until it is, your previous key still opens it. Your trainer sees this and can put it there with <code>labctl keys push \(participant.record.session) \(participant.name)</code>.</p>" } ?? "")
        <table class="own">
        <tr><th>Session</th><td>\(p.record.session)</td></tr>
        <tr><th>Name</th><td><code>\(p.name)</code></td></tr>
        <tr><th>Discrete id</th><td><code id="discrete-id">\(p.discreteID)</code></td></tr>
        <tr><th>Key fingerprint</th><td class="fingerprint" id="fingerprint">\(p.fingerprint)</td></tr>
        <tr><th>Registered</th><td>\(Layout.date(p.record.createdAt))</td></tr>
        </table>
        <p>Check that this is your key: on your computer run</p>
        <pre>ssh-keygen -lf ~/.ssh/id_ed25519.pub</pre>
        <p>It must print <code>256 \(p.fingerprint) …&nbsp;(ED25519)</code>. If it does not, replace the key below.</p>
        <h2>Your personal link</h2>
        <p>Bookmark this page. Anyone with the link can see your entry and replace your key, so do not share it:</p>
        <pre id="personal-link">\(personalURL)</pre>
        <h2>Connection</h2>
        \(sheet.map { s -> HTML in "<section id=\"sheet\">\n\(s)\n</section>" } ?? "<p class=\"muted\">Your cluster is not deployed yet. Come back to this page when your trainer says so: it will show how to connect.</p>")
        <h2>Replace your key</h2>
        <form method="post" action="/me/\(token)/key" enctype="multipart/form-data">
        <input type="hidden" name="csrf" value="\(csrf)">
        \(KeyHelp.keyFields)
        <button type="submit">Replace my key</button>
        </form>
        \(KeyHelp.instructions)
        """)
    }
}

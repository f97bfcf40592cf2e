import Foundation
import LabStore

/// `GET /admin/sessions/<s>`: one session's participants (remove one), intake
/// (open, close, new code), key export, deployment and verification status, cost.
struct AdminSessionPage {
    var detail: SessionOverview.Detail
    var csrf: String
    var notice: String?
    var error: String?

    var session: String { detail.session }
    var intake: IntakeState { detail.intake }
    var joinURL: String? { detail.joinURL }
    var participants: [Participant] { detail.participants }
    var clusters: [ClusterRecord] { detail.clusters }
    var verifications: [VerificationRecord] { detail.verifications }
    var hostKeys: [HostKeyRecord] { detail.hostKeys }
    var cost: CostSummary { detail.cost }

    func render() -> HTML {
        let room = detail.room.map(RoomTable.init)
        return Layout.page(title: session, heading: "Session \(session)", nav: AdminNav.bar(csrf: csrf), refresh: room?.refreshSeconds, """
        \(Layout.notice(notice, kind: "ok"))
        \(Layout.notice(error))
        \(intakeSection)
        <h2>Participants (\(participants.count) of at most \(detail.maxParticipants))</h2>
        \(fullNotice)
        \(participantsTable)
        \(burstForm)
        <p><a href="/admin/sessions/\(session)/keys">Download keys</a> (one <code>ssh-ed25519 … first.last</code> line each)
        \(form("export", label: "Write participants/\(session)/*.pub", cls: "small"))</p>
        <h2>Room</h2>
        \(room?.render() ?? "")
        <h2>Deployment and verification</h2>
        \(deploymentTable)
        <h2>Cost estimate</h2>
        \(cost.render())
        """)
    }

    private func form(_ action: String, label: String, cls: String = "", extra: HTML = "") -> HTML {
        """
        <form class="inline" method="post" action="/admin/sessions/\(session)/\(action)"><input type="hidden" name="csrf" value="\(csrf)">\(extra)<button type="submit" class="\(cls)">\(label)</button></form>
        """
    }

    private var intakeSection: HTML {
        let state: HTML = "<p>Intake: <span class=\"state-\(intake.rawValue)\" id=\"intake-state\">\(intake.label)</span></p>"
        switch intake {
        case .open:
            return """
            \(state)
            <p>Join link for participants: <code id="join-url">\(joinURL ?? "")</code></p>
            \(form("close", label: "Close intake", cls: "danger")) \(form("open", label: "New join link (old one stops working)", extra: "<input type=\"hidden\" name=\"rotate\" value=\"1\">"))
            """
        case .closed, .none:
            return "\(state)\(form("open", label: "Open intake"))"
        }
    }

    /// At the cap every join answers `session-full`; say so and how to change it.
    private var fullNotice: HTML {
        guard participants.count >= detail.maxParticipants else { return "" }
        return """
        <p class="notice error" id="session-full">Session full: \(participants.count) participants, its max_participants is \(detail.maxParticipants). \
        New joins are refused with “session full, tell the trainer”. Raise <code>max_participants</code> in <code>sessions/\(session).tfvars</code>, \
        or remove a burst of unwanted registrations below.</p>
        """
    }

    /// Removes everyone registered in a window (a leaked link); the next page lists who goes and asks to confirm.
    private var burstForm: HTML {
        guard !participants.isEmpty else { return "" }
        return """
        <form method="post" action="/admin/sessions/\(session)/remove-burst" id="remove-burst"><input type="hidden" name="csrf" value="\(csrf)">
        Remove everyone registered from <input name="registered_after" placeholder="2026-12-04 10:15" size="22" required>
        until before <input name="registered_before" placeholder="(now)" size="22">
        <button type="submit" class="danger small">Show who goes…</button>
        <br><span class="muted">Times as in the Joined column, or <code>2026-12-04 10:15</code> in the server's time zone (\(TimeZone.current.identifier)).</span></form>
        """
    }

    private var participantsTable: HTML {
        guard !participants.isEmpty else { return "<p class=\"muted\">Nobody has joined yet.</p>" }
        return """
        <table id="participants">
        <thead><tr><th>Name</th><th>Discrete id</th><th>Fingerprint</th><th>Joined</th><th>Pod CIDR</th><th></th></tr></thead>
        <tbody>
        \(participants.map { p -> HTML in
            """
            <tr><td>\(p.record.displayName)<br><code class="muted">\(p.name)</code></td><td><code>\(p.discreteID)</code></td>
            <td class="fingerprint">\(p.fingerprint)</td><td>\(Layout.date(p.record.createdAt))</td><td>\(p.podCIDR)</td>
            <td>\(form("participants/\(p.name)/remove", label: "Remove", cls: "danger small"))</td></tr>
            """
        })
        </tbody>
        </table>
        """
    }

    private var deploymentTable: HTML {
        guard !clusters.isEmpty || !verifications.isEmpty else {
            return "<p class=\"muted\">Not deployed yet (<code>labctl apply \(session)</code>).</p>"
        }
        let verified = Dictionary(verifications.map { ($0.discreteID, $0) }, uniquingKeysWith: { a, _ in a })
        let pinned = Dictionary(hostKeys.map { ($0.discreteID, $0) }, uniquingKeysWith: { a, _ in a })
        let ids = Set(clusters.map(\.discreteID)).union(verified.keys).sorted()
        let byID = Dictionary(clusters.map { ($0.discreteID, $0) }, uniquingKeysWith: { a, _ in a })
        return """
        <table id="deployment">
        <thead><tr><th>Discrete id</th><th>Master</th><th>Workers</th><th>Host key</th><th>Verified</th></tr></thead>
        <tbody>
        \(ids.map { id -> HTML in
            let c = byID[id]
            let v = verified[id]
            let status: HTML = v.map { v -> HTML in
                let nodes = v.nodesReady.map { ready -> String in "\(ready)/\(v.nodesExpected ?? 0) nodes" } ?? ""
                return v.ready ? "<span class=\"state-open\">ready</span> \(nodes) · \(Layout.date(v.checkedAt))"
                               : "<span class=\"state-closed\">not ready</span> \(nodes) · \(Layout.date(v.checkedAt))"
            } ?? "<span class=\"muted\">not checked</span>"
            return """
            <tr><td><code>\(id)</code></td><td>\(c?.masterPublicIP ?? "–")</td><td>\(c.map { $0.workerPublicIPs.joined(separator: ", ") } ?? "–")</td>
            <td class="fingerprint">\(pinned[id]?.fingerprint ?? "–")</td><td>\(status)</td></tr>
            """
        })
        </tbody>
        </table>
        """
    }
}

import LabStore

/// Renders one participant's own connection sheet for their personal page.
/// The real sheets (LabSheets, mail-templates/) are built elsewhere; plug them
/// into `IntakeServer.Dependencies.sheets`. Whatever is plugged in receives one
/// participant and must return only what belongs to them.
public protocol OwnSheetProviding: Sendable {
    /// The sheet's HTML fragment, or nil while the participant's cluster is not deployed.
    func sheet(for participant: Participant, registry: Registry) async throws -> HTML?
}

/// The seam's default: the ssh command and the pinned host key fingerprint,
/// from the store's clusters and host keys, for this participant only.
public struct MinimalOwnSheet: OwnSheetProviding {
    public init() {}

    public func sheet(for participant: Participant, registry: Registry) async throws -> HTML? {
        let session = participant.record.session
        let id = participant.discreteID
        guard let cluster = try registry.clusters(session: session).first(where: { $0.discreteID == id }),
              let ip = cluster.masterPublicIP else { return nil }
        let hostKey = try registry.hostKeys(session: session).first(where: { $0.discreteID == id })
        let hostKeyHTML: HTML = hostKey.map { key -> HTML in
            """
            <p>The first time you connect, ssh asks you to confirm the server's key. Answer <code>yes</code> only if it shows:</p>
            <pre id="host-key">\(key.fingerprint)</pre>
            <p>or add this line to <code>~/.ssh/known_hosts</code> beforehand:</p>
            <pre>\(ip) \(key.keyType) \(key.keyBase64)</pre>
            """
        } ?? "<p class=\"muted\">The server's host key has not been checked yet; ask your trainer before you answer <code>yes</code>.</p>"
        return """
        <p>Your cluster's control node (<code>\(id)</code>, \(cluster.workerPublicIPs.count) worker(s)):</p>
        <pre id="ssh-command">ssh -i ~/.ssh/id_ed25519 ubuntu@\(ip)</pre>
        \(hostKeyHTML)
        """
    }
}

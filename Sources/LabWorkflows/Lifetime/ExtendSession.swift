import Foundation
import LabCore
import LabProvision
import LabStore
import LabVerify

/// `labctl extend <session> --until T`: moves a session's end everywhere it lives —
/// `session_end` in the tfvars (what the sheets and `/me` show), the `ExpiresAt` tags
/// (Terraform apply; the instances are not replaced, see terraform/session/lifetime.tf)
/// and the dead-man timer on every running node (over SSH with the operator key).
public struct ExtendSession: Sendable, LabUseCase {
    public struct Request: Sendable {
        public var session: String
        public var until: SessionEnd
        /// Replaces the recorded addresses: `<id>` is the master, `<id>/worker-N` a worker (rehearsals, tests).
        public var inventory: [String: VerifySession.Address]?
        /// false: tfvars and timers only (the tags follow at the next apply).
        public var applyTerraform = true
        public var user = "ubuntu"
        public var hostTimeout: TimeInterval = 20

        public init(session: String, until: SessionEnd) {
            self.session = session
            self.until = until
        }
    }

    /// One node's timer.
    public struct HostResult: Sendable, Encodable, Equatable {
        public var node: String
        public var host: String
        public var port: Int
        public var ok: Bool
        public var detail: String
    }

    public struct Outcome: Sendable {
        public var previousEnd: SessionEnd?
        public var end: SessionEnd
        /// `OnCalendar=` of the timers: end + grace, UTC.
        public var shutdownAt: String
        /// nil when Terraform was not asked to run.
        public var terraform: TerraformBatch.Outcome?
        public var hosts: [HostResult]
        public var ok: Bool { (terraform?.ok ?? true) && hosts.allSatisfy(\.ok) }
    }

    public let context: LabContext
    public init(_ context: LabContext) { self.context = context }

    public func run(_ request: Request, now: Date = Date(),
                    onEvent: @escaping @Sendable (TerraformBatch.Event) -> Void = { _ in }) async throws -> Outcome {
        let s = request.session
        let config = try files.sessionConfig(s)
        guard request.until.date > now else {
            throw WorkflowError.usage("--until \(request.until.text) is in the past; give a later time (e.g. \(SessionEnd.rfc3339(now.addingTimeInterval(3600), in: request.until.timeZone))).")
        }
        let url = files.sessionFile(s)
        let text = try String(contentsOf: url, encoding: .utf8)
        try AtomicFile.write(Data(Self.settingEnd(in: text, to: request.until).utf8), to: url, permissions: 0o644)
        try registry.recordAudit(session: s, action: "extend",
                                 detail: "session_end \(config.lifetime.end?.text ?? "(none)") → \(request.until.text)")
        let shutdownAt = SessionEnd.systemdCalendar(request.until.date.addingTimeInterval(config.lifetime.grace))

        var terraform: TerraformBatch.Outcome?
        if request.applyTerraform, await provisioner.hasResources(s) {
            terraform = await RunSessions(context, .apply, parallel: 1).run([s], onEvent: onEvent).first
        }
        let hosts = try await moveTimers(session: s, shutdownAt: shutdownAt, inventory: request.inventory,
                                         user: request.user, hostTimeout: request.hostTimeout)
        return Outcome(previousEnd: config.lifetime.end, end: request.until, shutdownAt: shutdownAt, terraform: terraform, hosts: hosts)
    }

    /// Sets the dead-man timer of every node of the session to `shutdownAt` (`2026-12-04 19:00:00 UTC`).
    public func moveTimers(session: String, shutdownAt: String, inventory: [String: VerifySession.Address]?,
                           user: String = "ubuntu", hostTimeout: TimeInterval = 20) async throws -> [HostResult] {
        let targets = try nodes(session, inventory: inventory)
        guard !targets.isEmpty else { return [] }
        guard let secret = try registry.sessionSecret(session) else {
            throw WorkflowError.usage("session \(session) has no operator key (it was never deployed), so no node has a timer to move.")
        }
        let runner = RemoteCommand(user: user, identity: .privateKey(pem: secret.operatorPrivateKey), hostTimeout: hostTimeout,
                                   pinning: try RegistryHostKeyPins(registry: registry, session: session))
        let expected = "labctl-shutdown-at: OnCalendar=\(shutdownAt)"
        let results = await runner.run("labctl-shutdown-at '\(shutdownAt)'", on: targets)
        return results.map { r in
            let ok = r.ok && r.stdout.split(separator: "\n").contains { $0 == expected }
            let detail: String
            if let why = r.unreachable {
                detail = "unreachable: \(why); its timer still says the old time — run `labctl extend \(session) --until …` again when it answers"
            } else if ok {
                detail = "timer set to \(shutdownAt)"
            } else {
                let said = (r.stderr + r.stdout).trimmingCharacters(in: .whitespacesAndNewlines)
                detail = "labctl-shutdown-at failed (exit \(r.exitStatus ?? -1))\(said.isEmpty ? "" : ": \(said)")"
            }
            return HostResult(node: r.target.label, host: r.target.host, port: r.target.port, ok: ok, detail: detail)
        }
    }

    private func nodes(_ session: String, inventory: [String: VerifySession.Address]?) throws -> [RemoteCommand.Target] {
        if let inventory {
            return inventory.keys.sorted().map { key in
                let a = inventory[key]!
                let isMaster = !key.contains("/")
                return RemoteCommand.Target(label: isMaster ? "\(key) master" : key.replacingOccurrences(of: "/", with: " "),
                                            host: a.host, port: a.port, pinnedDiscreteID: isMaster ? key : nil)
            }
        }
        var targets: [RemoteCommand.Target] = []
        for c in try registry.clusters(session: session) {
            if let ip = c.masterPublicIP {
                targets.append(RemoteCommand.Target(label: "\(c.discreteID) master", host: ip, port: 22, pinnedDiscreteID: c.discreteID))
            }
            for (i, ip) in c.workerPublicIPs.enumerated() {
                targets.append(RemoteCommand.Target(label: "\(c.discreteID) worker-\(i + 1)", host: ip, port: 22, pinnedDiscreteID: nil))
            }
        }
        return targets
    }

    /// The tfvars text with `session_end` set to `end` (the line replaced, or added at the end).
    public static func settingEnd(in text: String, to end: SessionEnd) -> String {
        let line = "session_end = \"\(end.text)\" # \(end.human)"
        var lines = text.components(separatedBy: "\n")
        if let i = lines.firstIndex(where: { l in
            let t = l.drop { $0 == " " || $0 == "\t" }
            guard t.hasPrefix(SessionLifetime.endKey) else { return false }
            return t.dropFirst(SessionLifetime.endKey.count).drop { $0 == " " || $0 == "\t" }.first == "="
        }) {
            lines[i] = line
            return lines.joined(separator: "\n")
        }
        let body = text.hasSuffix("\n") || text.isEmpty ? text : text + "\n"
        return body + line + "\n"
    }
}

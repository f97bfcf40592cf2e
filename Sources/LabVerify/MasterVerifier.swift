import Foundation
import LabCore

/// Checks one master over one SSH connection: tcp, hostkey, auth, then the
/// participant key, cloud-init and kubeadm from two concurrent channels.
/// Blocking (poll-driven); runs on the verifier's dedicated threads, never on
/// Swift's cooperative pool.
struct MasterVerifier {
    let options: VerifyOptions
    let pinning: HostKeyPinning

    func verify(_ target: MasterTarget) -> MasterReport {
        var checks = CheckSet()
        var report = MasterReport(target: target, checks: checks, nodesReady: nil, nodesExpected: options.expectedNodes, hostKey: nil)
        defer { report.checkedAt = Date() }
        let deadline = Deadline(secondsFromNow: options.hostTimeout)
        let budget = "\(Self.seconds(options.hostTimeout)) s"

        let connection: SSHConnection
        do {
            connection = try SSHConnection(host: target.host, port: target.port, deadline: deadline)
        } catch {
            checks[.tcp] = .fail(error.timedOut ? "no TCP answer from \(target.host):\(target.port) within \(budget)" : error.message)
            checks.fillUnset(.skipped("not attempted: no TCP connection"))
            report.checks = checks
            return report
        }
        defer { connection.close() }
        checks[.tcp] = .pass("\(target.host):\(target.port) reachable")

        // Host key: never trust a changed one, and attempt nothing else on that host.
        let key: HostKey
        do {
            key = try connection.handshake()
        } catch {
            checks[.hostkey] = .fail(error.timedOut ? "no SSH handshake within \(budget) (the port accepts TCP but does not speak SSH)" : error.message)
            checks.fillUnset(.skipped("not attempted: no SSH handshake"))
            report.checks = checks
            return report
        }
        report.hostKey = key
        do {
            switch try pinning.verdict(discreteID: target.discreteID, key: key) {
            case .pinnedNow: checks[.hostkey] = .pass("\(key.fingerprint) pinned on first sight")
            case .matches: checks[.hostkey] = .pass("\(key.fingerprint) matches the pinned key")
            case .changed(let pinned):
                checks[.hostkey] = .fail("host key changed (pinned \(pinned), got \(key.fingerprint))")
                checks.fillUnset(.skipped("not attempted: host key changed"))
                report.checks = checks
                return report
            }
        } catch {
            checks[.hostkey] = .fail("cannot pin the host key: \(error)")
            checks.fillUnset(.skipped("not attempted: host key not pinned"))
            report.checks = checks
            return report
        }

        do {
            try connection.authenticate(user: options.user, identity: options.identity)
            checks[.auth] = .pass("operator key accepted for \(options.user)")
        } catch {
            checks[.auth] = .fail(error.timedOut ? "authentication timed out after \(budget)" : error.message)
            checks.fillUnset(.skipped("not attempted: not logged in"))
            report.checks = checks
            return report
        }

        let outputs: [SSHConnection.ExecResult]
        do {
            outputs = try connection.execConcurrently([RemoteProbe.hostCommand, RemoteProbe.clusterCommand])
        } catch {
            checks.fillUnset(.fail(error.timedOut ? "remote checks timed out after \(budget)" : error.message))
            report.checks = checks
            return report
        }
        var sections = RemoteProbe.sections(stdout: outputs[0].stdout, stderr: outputs[0].stderr)
        sections.merge(RemoteProbe.sections(stdout: outputs[1].stdout, stderr: outputs[1].stderr)) { a, _ in a }
        checks[.participantKey] = outputs[0].truncated && sections[.authorizedKeys] == nil
            ? Self.cutShort("head ~/.ssh/authorized_keys")
            : AuthorizedKeys.assess(sections[.authorizedKeys], expected: target.participantKeyFingerprint, user: options.user)
        let cloudInit = outputs[0].truncated && sections[.cloudInit] == nil
            ? Self.cutShort("cloud-init status")
            : CloudInitStatus.assess(sections[.cloudInit])
        checks[.cloudInit] = cloudInit
        // Pods are asked for only when the node list worked.
        if outputs[1].truncated && (sections[.nodes].map { $0.exitStatus == 0 && sections[.pods] == nil } ?? true) {
            checks[.kubeadm] = Self.cutShort("kubectl get")
        } else {
            let cluster = ClusterHealth.assess(nodes: sections[.nodes], pods: sections[.pods], expectedNodes: options.expectedNodes,
                                               cloudInitRunning: cloudInit.status == .pending)
            checks[.kubeadm] = cluster.result
            report.nodesReady = cluster.nodesReady
        }
        report.checks = checks
        return report
    }

    /// A command whose answer never came because its channel printed past `SSHConnection.outputLimit`.
    static func cutShort(_ command: String) -> CheckResult {
        .fail("the master printed more than \(SSHConnection.outputLimit / (1024 * 1024)) MiB before `\(command)` answered; labctl stopped reading. "
              + "Log in and look for what prints so much (a replaced kubectl or cloud-init?), then verify again.")
    }

    static func seconds(_ t: TimeInterval) -> String {
        t == t.rounded() ? String(Int(t)) : String(format: "%.1f", t)
    }
}

import Foundation
import LabCore
import LabStore
import LabVerify

/// `labctl verify` output: the table, `--json`, progress lines, registry rows.
enum VerifyRendering {
    /// One element of `--json`; `checks` is also what the registry stores.
    struct JSONReport: Encodable {
        struct Nodes: Encodable {
            @NullEncoded var ready: Int?
            var expected: Int
        }
        var discreteID: String
        var host: String
        var port: Int
        var ready: Bool
        var checks: CheckSet
        var nodes: Nodes

        init(_ r: MasterReport) {
            discreteID = r.target.discreteID
            host = r.target.host
            port = r.target.port
            ready = r.ready
            checks = r.checks
            nodes = Nodes(ready: r.nodesReady, expected: r.nodesExpected)
        }

        enum CodingKeys: String, CodingKey { case discreteID = "discrete_id", host, port, ready, checks, nodes }
    }

    static func table(_ reports: [MasterReport], names: [String: String]) -> String {
        TextTable(header: ["PARTICIPANT", "MASTER", "SSH", "KEY", "CLOUD-INIT", "KUBEADM", "NODES", "DETAIL"]).render(reports.map { r in
            let c = r.checks
            let ssh: String = {
                for name in [CheckName.tcp, .hostkey, .auth] where c[name].status != .pass {
                    return "\(c[name].status.rawValue) (\(name.rawValue))"
                }
                return "ok"
            }()
            let cloudInit: String = {
                switch c[.cloudInit].status {
                case .pass: return "done"
                case .pending: return "running"
                case .fail: return "error"
                case .skipped: return "-"
                }
            }()
            let master = r.target.host.isEmpty ? "-" : "\(r.target.host):\(r.target.port)"
            return [names[r.target.discreteID].map { "\($0) (\(r.target.discreteID))" } ?? r.target.discreteID, master, ssh,
                    cell(c[.participantKey].status), cloudInit, cell(c[.kubeadm].status),
                    r.nodesReady.map { "\($0)/\(r.nodesExpected)" } ?? "-/\(r.nodesExpected)",
                    r.ready ? "ready" : r.summary]
        })
    }

    private static func cell(_ s: CheckStatus) -> String { s == .pass ? "ok" : s.rawValue }

    /// `ready 37/40, pending 3: cloud-init running on bob.ma, …`
    static func progressLine(_ reports: [MasterReport]) -> String {
        let ready = reports.filter(\.ready).count
        var line = "ready \(ready)/\(reports.count)"
        let pending = reports.filter { !$0.ready && !$0.checks.results.values.contains { $0.status == .fail } }
        let failed = reports.filter { !$0.ready && $0.checks.results.values.contains { $0.status == .fail } }
        func describe(_ rs: [MasterReport]) -> String {
            let shown = rs.prefix(3).map { "\(shortReason($0)) on \($0.target.discreteID)" }
            return shown.joined(separator: ", ") + (rs.count > 3 ? ", …" : "")
        }
        if !pending.isEmpty { line += ", pending \(pending.count): " + describe(pending) }
        if !failed.isEmpty { line += (pending.isEmpty ? ", " : "; ") + "failing \(failed.count): " + describe(failed) }
        return line
    }

    /// One line per finished host (live output on a terminal).
    static func hostLine(_ r: MasterReport) -> String {
        (r.ready ? Terminal.ok : Terminal.bad) + " \(r.target.discreteID) \(r.target.host):\(r.target.port) " + (r.ready ? "ready" : r.summary)
    }

    private static func shortReason(_ r: MasterReport) -> String {
        guard let (name, result) = r.checks.firstProblem else { return "ready" }
        let reason = result.reason ?? result.status.rawValue
        return reason.hasPrefix(name.rawValue) ? reason : "\(name.rawValue): \(reason)"
    }

    static func nextStep(_ reports: [MasterReport], session: String, wait: Bool) -> String {
        if reports.contains(where: \.isPermanentFailure) {
            return "a host key changed: check that master; after a deliberate re-deploy use --forget-host-key <id>"
        }
        if reports.contains(where: { r in r.checks.results.values.contains { $0.status == .pending } }) && !wait {
            return "clusters still booting: `labctl verify \(session) --wait`"
        }
        return "see DETAIL; re-run `labctl verify \(session)` after fixing"
    }
}

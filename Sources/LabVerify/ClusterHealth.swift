import Foundation
import LabCore

/// `kubectl get nodes` and `kubectl get pods -A`, read through `RemoteProbe`'s jsonpath
/// templates (one tab-separated line per object), into the `kubeadm` check: exactly
/// 1 + worker_count nodes, all Ready; the control plane (etcd, kube-apiserver,
/// kube-controller-manager, kube-scheduler), CoreDNS and calico-node Ready (calico-node
/// lives in calico-system with the Tigera operator, in kube-system with the manifest
/// install; both count).
enum ClusterHealth {
    /// `name \t Ready-status \t Ready-reason`.
    struct Node {
        var name: String
        var isReady: Bool
        var notReadyReason: String?
    }
    /// `namespace \t component-label \t k8s-app-label \t Ready-status`.
    struct Pod {
        var namespace: String
        var component: String
        var k8sApp: String
        var isReady: Bool
    }

    /// The lines of a jsonpath answer split at tabs, or nil when a line has not the
    /// template's field count (not the answer to our template: a different kubectl output).
    static func rows(_ text: String, fields: Int) -> [[Substring]]? {
        var rows: [[Substring]] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let row = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard row.count == fields else { return nil }
            rows.append(row)
        }
        return rows
    }

    static func nodes(_ text: String) -> [Node]? {
        rows(text, fields: 3)?.map { r in
            Node(name: String(r[0]), isReady: r[1] == "True", notReadyReason: r[2].isEmpty ? nil : String(r[2]))
        }
    }

    static func pods(_ text: String) -> [Pod]? {
        rows(text, fields: 4)?.map { r in
            Pod(namespace: String(r[0]), component: String(r[1]), k8sApp: String(r[2]), isReady: r[3] == "True")
        }
    }

    static let controlPlane = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"]

    struct Assessment {
        var result: CheckResult
        var nodesReady: Int?
    }

    /// `cloudInitRunning`: problems are expected while cloud-init still works, so they are `pending`.
    static func assess(nodes: RemoteProbe.Output?, pods: RemoteProbe.Output?, expectedNodes: Int, cloudInitRunning: Bool) -> Assessment {
        func notYet(_ reason: String) -> CheckResult { cloudInitRunning ? .pending(reason) : .fail(reason) }
        guard let nodes else { return Assessment(result: .fail("no answer from kubectl"), nodesReady: nil) }
        guard nodes.exitStatus == 0 else {
            let text = CloudInitStatus.firstLine(nodes.stderr.isEmpty ? nodes.stdout : nodes.stderr)
            if text.contains("admin.conf") && text.contains("no such file") {
                return Assessment(result: notYet("kubeadm not initialised: /etc/kubernetes/admin.conf does not exist"), nodesReady: nil)
            }
            if nodes.exitStatus == 127 || text.contains("command not found") {
                return Assessment(result: notYet("kubectl is not installed on the master"), nodesReady: nil)
            }
            if text.contains("password is required") {
                return Assessment(result: .fail("sudo -n needs a password for the login user: \(text)"), nodesReady: nil)
            }
            if text.contains("connection to the server") {
                return Assessment(result: notYet("API server not answering: \(text)"), nodesReady: nil)
            }
            return Assessment(result: .fail("kubectl get nodes failed (exit \(nodes.exitStatus)): \(text)"), nodesReady: nil)
        }
        guard let nodeList = Self.nodes(nodes.stdout) else {
            return Assessment(result: .fail("kubectl get nodes printed no node list"), nodesReady: nil)
        }
        let ready = nodeList.filter(\.isReady)
        let count = nodeList.count
        if count > expectedNodes {
            return Assessment(result: .fail("\(count) nodes registered, expected \(expectedNodes) (1 master + \(expectedNodes - 1) workers)"),
                              nodesReady: ready.count)
        }
        if count < expectedNodes {
            let missing = expectedNodes - count
            return Assessment(result: notYet("\(missing) worker\(missing == 1 ? "" : "s") missing: \(count) of \(expectedNodes) nodes registered"),
                              nodesReady: ready.count)
        }
        let notReady = nodeList.filter { !$0.isReady }
        if !notReady.isEmpty {
            let names = notReady.map { $0.name + ($0.notReadyReason.map { " (\($0))" } ?? "") }
            return Assessment(result: .pending("node\(names.count == 1 ? "" : "s") NotReady: \(names.joined(separator: ", "))"),
                              nodesReady: ready.count)
        }
        guard let pods, pods.exitStatus == 0,
              let podList = Self.pods(pods.stdout) else {
            let text = pods.map { CloudInitStatus.firstLine($0.stderr) } ?? ""
            return Assessment(result: .fail("kubectl get pods failed: \(text)"), nodesReady: ready.count)
        }
        var problems: [String] = []
        let system = podList.filter { $0.namespace == "kube-system" }
        for component in controlPlane {
            let matching = system.filter { $0.component == component }
            if matching.isEmpty { problems.append("\(component) missing") }
            else if !matching.allSatisfy(\.isReady) { problems.append("\(component) not Ready") }
        }
        let dns = system.filter { $0.k8sApp == "kube-dns" }
        if dns.isEmpty { problems.append("CoreDNS missing") }
        else if !dns.allSatisfy(\.isReady) { problems.append("CoreDNS \(dns.filter(\.isReady).count)/\(dns.count) Ready") }
        let calico = podList.filter { $0.k8sApp == "calico-node" }
        if calico.isEmpty { problems.append("calico-node missing") }
        else if calico.filter(\.isReady).count < expectedNodes { problems.append("calico-node \(calico.filter(\.isReady).count)/\(expectedNodes) Ready") }
        if !problems.isEmpty {
            return Assessment(result: .pending(problems.joined(separator: ", ")), nodesReady: ready.count)
        }
        return Assessment(result: .pass("\(ready.count)/\(expectedNodes) nodes Ready; control plane, CoreDNS, calico-node Ready"),
                          nodesReady: ready.count)
    }
}

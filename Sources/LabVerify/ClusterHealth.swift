import Foundation
import LabCore

/// `kubectl get nodes -o json` and `kubectl get pods -A -o json` read into the
/// `kubeadm` check: exactly 1 + worker_count nodes, all Ready; the control plane
/// (etcd, kube-apiserver, kube-controller-manager, kube-scheduler), CoreDNS and
/// calico-node Ready (calico-node lives in calico-system with the Tigera operator,
/// in kube-system with the manifest install; both count).
enum ClusterHealth {
    struct Condition: Decodable { var type: String; var status: String; var reason: String? }
    struct Metadata: Decodable { var name: String; var namespace: String?; var labels: [String: String]? }
    struct Node: Decodable {
        struct Status: Decodable { var conditions: [Condition]? }
        var metadata: Metadata
        var status: Status?
        var isReady: Bool { status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false }
        var notReadyReason: String? { status?.conditions?.first { $0.type == "Ready" }?.reason }
    }
    struct Pod: Decodable {
        struct Status: Decodable { var phase: String?; var conditions: [Condition]? }
        var metadata: Metadata
        var status: Status?
        var isReady: Bool { status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false }
    }
    struct List<Item: Decodable>: Decodable { var items: [Item] }

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
        guard let list = try? JSONDecoder().decode(List<Node>.self, from: Data(nodes.stdout.utf8)) else {
            return Assessment(result: .fail("kubectl get nodes printed no node list"), nodesReady: nil)
        }
        let ready = list.items.filter(\.isReady)
        let count = list.items.count
        if count > expectedNodes {
            return Assessment(result: .fail("\(count) nodes registered, expected \(expectedNodes) (1 master + \(expectedNodes - 1) workers)"),
                              nodesReady: ready.count)
        }
        if count < expectedNodes {
            let missing = expectedNodes - count
            return Assessment(result: notYet("\(missing) worker\(missing == 1 ? "" : "s") missing: \(count) of \(expectedNodes) nodes registered"),
                              nodesReady: ready.count)
        }
        let notReady = list.items.filter { !$0.isReady }
        if !notReady.isEmpty {
            let names = notReady.map { "\($0.metadata.name)" + ($0.notReadyReason.map { " (\($0))" } ?? "") }
            return Assessment(result: .pending("node\(names.count == 1 ? "" : "s") NotReady: \(names.joined(separator: ", "))"),
                              nodesReady: ready.count)
        }
        guard let pods, pods.exitStatus == 0,
              let podList = try? JSONDecoder().decode(List<Pod>.self, from: Data(pods.stdout.utf8)) else {
            let text = pods.map { CloudInitStatus.firstLine($0.stderr) } ?? ""
            return Assessment(result: .fail("kubectl get pods failed: \(text)"), nodesReady: ready.count)
        }
        var problems: [String] = []
        let system = podList.items.filter { $0.metadata.namespace == "kube-system" }
        for component in controlPlane {
            let matching = system.filter { $0.metadata.labels?["component"] == component }
            if matching.isEmpty { problems.append("\(component) missing") }
            else if !matching.allSatisfy(\.isReady) { problems.append("\(component) not Ready") }
        }
        let dns = system.filter { $0.metadata.labels?["k8s-app"] == "kube-dns" }
        if dns.isEmpty { problems.append("CoreDNS missing") }
        else if !dns.allSatisfy(\.isReady) { problems.append("CoreDNS \(dns.filter(\.isReady).count)/\(dns.count) Ready") }
        let calico = podList.items.filter { $0.metadata.labels?["k8s-app"] == "calico-node" }
        if calico.isEmpty { problems.append("calico-node missing") }
        else if calico.filter(\.isReady).count < expectedNodes { problems.append("calico-node \(calico.filter(\.isReady).count)/\(expectedNodes) Ready") }
        if !problems.isEmpty {
            return Assessment(result: .pending(problems.joined(separator: ", ")), nodesReady: ready.count)
        }
        return Assessment(result: .pass("\(ready.count)/\(expectedNodes) nodes Ready; control plane, CoreDNS, calico-node Ready"),
                          nodesReady: ready.count)
    }
}

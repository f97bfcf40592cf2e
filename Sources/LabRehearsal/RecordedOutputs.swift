import Foundation

/// Outputs recorded from a lab master (Ubuntu 24.04, cloud-init 24.x, kubeadm
/// v1.34, containerd, Calico through the Tigera operator), re-rendered for a
/// scenario's node names and readiness. Field names and nesting are the real ones.
enum RecordedOutputs {
    static let created = "2026-11-28T09:12:41Z"
    static let heartbeat = "2026-11-28T09:31:07Z"

    // MARK: cloud-init status --format json

    /// The JSON and the exit status of `cloud-init status --format json` (0 done/running, 1 error).
    static func cloudInitStatus(_ state: MasterFixtures.Phase.CloudInit, startedAt: Date) -> (String, Int32) {
        let t0 = startedAt.timeIntervalSince1970.rounded()
        func stage(_ start: Double, _ finished: Double?, errors: [String] = []) -> [String: Any] {
            ["errors": errors, "finished": finished.map { $0 as Any } ?? NSNull(), "recoverable_errors": [String: Any](), "start": start]
        }
        var body: [String: Any] = [
            "boot_status_code": "enabled-by-generator",
            "datasource": "ec2",
            "detail": "DataSourceEc2Local",
            "errors": [String](),
            "recoverable_errors": [String: Any](),
            "last_update": "Sat, 28 Nov 2026 09:13:52 +0000",
            "init-local": stage(t0 + 2.4, t0 + 3.1),
            "init": stage(t0 + 4.0, t0 + 6.8),
            "modules-config": stage(t0 + 7.5, t0 + 9.2),
        ]
        switch state {
        case .done:
            body["status"] = "done"
            body["extended_status"] = "done"
            body["stage"] = NSNull()
            body["modules-final"] = stage(t0 + 9.9, t0 + 212.6)
            return (json(body, indent: 1), 0)
        case .running:
            body["status"] = "running"
            body["extended_status"] = "running"
            body["stage"] = "modules-final"
            body["modules-final"] = stage(t0 + 9.9, nil)
            return (json(body, indent: 1), 0)
        case .error(let text):
            body["status"] = "error"
            body["extended_status"] = "error - done"
            body["stage"] = NSNull()
            body["errors"] = [text]
            body["detail"] = "DataSourceEc2Local"
            body["modules-final"] = stage(t0 + 9.9, t0 + 95.3, errors: [text])
            return (json(body, indent: 1), 1)
        }
    }

    // MARK: kubectl get nodes -o json

    static func nodes(_ nodes: [(name: String, ready: Bool)]) -> String {
        json(nodeList(nodes))
    }

    /// The recorded `NodeList` object (what `-o json` and `-o jsonpath=` print from).
    static func nodeList(_ nodes: [(name: String, ready: Bool)]) -> [String: Any] {
        list(nodes.enumerated().map { i, n in node(n.name, ready: n.ready, index: i) })
    }

    private static func node(_ name: String, ready: Bool, index: Int) -> [String: Any] {
        let isMaster = index == 0
        let ip = "10.1.0." + name.split(separator: "-").last!
        var labels: [String: String] = [
            "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
            "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
        ]
        if isMaster {
            labels["node-role.kubernetes.io/control-plane"] = ""
            labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
        }
        let readyCondition: [String: Any] = ready
            ? ["lastHeartbeatTime": heartbeat, "lastTransitionTime": "2026-11-28T09:15:20Z", "message": "kubelet is posting ready status",
               "reason": "KubeletReady", "status": "True", "type": "Ready"]
            : ["lastHeartbeatTime": heartbeat, "lastTransitionTime": "2026-11-28T09:13:02Z",
               "message": "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized",
               "reason": "KubeletNotReady", "status": "False", "type": "Ready"]
        func pressure(_ type: String, _ reason: String, _ message: String) -> [String: Any] {
            ["lastHeartbeatTime": heartbeat, "lastTransitionTime": "2026-11-28T09:12:38Z", "message": message,
             "reason": reason, "status": "False", "type": type]
        }
        var conditions: [[String: Any]] = []
        if ready {
            conditions.append(["lastHeartbeatTime": "2026-11-28T09:15:02Z", "lastTransitionTime": "2026-11-28T09:15:02Z",
                               "message": "Calico is running on this node", "reason": "CalicoIsUp", "status": "False", "type": "NetworkUnavailable"])
        }
        conditions += [
            pressure("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            pressure("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            pressure("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            readyCondition,
        ]
        var spec: [String: Any] = [
            "podCIDR": "192.168.\(index).0/24", "podCIDRs": ["192.168.\(index).0/24"],
            "providerID": "aws:///eu-west-1a/i-0\(String(format: "%016x", 0x5ac3e1 * (index + 7)))",
        ]
        if isMaster { spec["taints"] = [["effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"]] }
        if !ready { spec["taints"] = ((spec["taints"] as? [[String: String]]) ?? []) + [["effect": "NoSchedule", "key": "node.kubernetes.io/not-ready"]] }
        let capacity: [String: String] = ["cpu": isMaster ? "2" : "2", "ephemeral-storage": "20134592Ki", "hugepages-1Gi": "0",
                                          "hugepages-2Mi": "0", "memory": isMaster ? "3964584Ki" : "1951104Ki", "pods": "110"]
        var allocatable = capacity
        allocatable["ephemeral-storage"] = "18556039957"
        allocatable["memory"] = isMaster ? "3862184Ki" : "1848704Ki"
        return [
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": [
                "annotations": [
                    "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
                    "node.alpha.kubernetes.io/ttl": "0",
                    "projectcalico.org/IPv4Address": "\(ip)/24",
                    "volumes.kubernetes.io/controller-managed-attach-detach": "true",
                ],
                "creationTimestamp": created,
                "labels": labels,
                "name": name,
                "resourceVersion": String(1812 + index * 37),
                "uid": uid(name),
            ] as [String: Any],
            "spec": spec,
            "status": [
                "addresses": [["address": ip, "type": "InternalIP"], ["address": name, "type": "Hostname"]],
                "allocatable": allocatable,
                "capacity": capacity,
                "conditions": conditions,
                "daemonEndpoints": ["kubeletEndpoint": ["Port": 10250]],
                "nodeInfo": [
                    "architecture": "amd64", "bootID": uid(name + "boot"), "containerRuntimeVersion": "containerd://1.7.28",
                    "kernelVersion": "6.8.0-1039-aws", "kubeProxyVersion": "", "kubeletVersion": "v1.34.1",
                    "machineID": uid(name + "machine").replacingOccurrences(of: "-", with: ""), "operatingSystem": "linux",
                    "osImage": "Ubuntu 24.04.3 LTS", "systemUUID": uid(name + "system"),
                ],
            ] as [String: Any],
        ]
    }

    // MARK: kubectl get pods --all-namespaces -o json

    static func pods(_ nodes: [(name: String, ready: Bool)]) -> String {
        json(podList(nodes))
    }

    /// The recorded pod `List` object (what `-o json` and `-o jsonpath=` print from).
    static func podList(_ nodes: [(name: String, ready: Bool)]) -> [String: Any] {
        guard let master = nodes.first else { return list([]) }
        let cniUp = master.ready
        var items: [[String: Any]] = []
        for component in ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"] {
            items.append(pod("\(component)-\(master.name)", namespace: "kube-system", node: master.name,
                             labels: ["component": component, "tier": "control-plane"], ready: true, hostNetwork: true,
                             image: component == "etcd" ? "registry.k8s.io/etcd:3.6.4-0" : "registry.k8s.io/\(component):v1.34.1"))
        }
        for suffix in ["66bc5c9577-7h2kq", "66bc5c9577-qz4mw"] {
            items.append(pod("coredns-\(suffix)", namespace: "kube-system", node: cniUp ? master.name : nil,
                             labels: ["k8s-app": "kube-dns", "pod-template-hash": "66bc5c9577"], ready: cniUp, hostNetwork: false,
                             image: "registry.k8s.io/coredns/coredns:v1.12.1"))
        }
        for (i, n) in nodes.enumerated() {
            items.append(pod("kube-proxy-\(["x7k2p", "m4zqd", "c9vth", "r2wfb", "j8lns"][i % 5])\(i / 5)", namespace: "kube-system", node: n.name,
                             labels: ["k8s-app": "kube-proxy", "controller-revision-hash": "7c9b8f6d5d", "pod-template-generation": "1"],
                             ready: true, hostNetwork: true, image: "registry.k8s.io/kube-proxy:v1.34.1"))
            items.append(pod("calico-node-\(["5wq8z", "h2k7d", "t9vcm", "b4xrn", "p6fjl"][i % 5])\(i / 5)", namespace: "calico-system", node: n.name,
                             labels: ["k8s-app": "calico-node", "app.kubernetes.io/name": "calico-node", "controller-revision-hash": "5d8f7b9c4"],
                             ready: n.ready, hostNetwork: true, image: "quay.io/calico/node:v3.31.4"))
        }
        items.append(pod("calico-kube-controllers-7f6c9d8b5-w2xnk", namespace: "calico-system", node: cniUp ? master.name : nil,
                         labels: ["k8s-app": "calico-kube-controllers", "pod-template-hash": "7f6c9d8b5"], ready: cniUp, hostNetwork: false,
                         image: "quay.io/calico/kube-controllers:v3.31.4"))
        items.append(pod("tigera-operator-6c8b5f9d7-9kq4v", namespace: "tigera-operator", node: master.name,
                         labels: ["k8s-app": "tigera-operator", "name": "tigera-operator", "pod-template-hash": "6c8b5f9d7"], ready: true,
                         hostNetwork: true, image: "quay.io/tigera/operator:v1.40.2"))
        return list(items)
    }

    private static func pod(_ name: String, namespace: String, node: String?, labels: [String: String], ready: Bool,
                            hostNetwork: Bool, image: String) -> [String: Any] {
        let container = String(name.split(separator: "-").prefix(while: { $0.count > 5 || !$0.contains(where: \.isNumber) }).joined(separator: "-"))
        let scheduled = node != nil
        func condition(_ type: String, _ ok: Bool, reason: String? = nil) -> [String: Any] {
            var c: [String: Any] = ["lastProbeTime": NSNull(), "lastTransitionTime": "2026-11-28T09:13:40Z", "status": ok ? "True" : "False", "type": type]
            if let reason, !ok { c["reason"] = reason }
            return c
        }
        var status: [String: Any] = [
            "phase": ready ? "Running" : (scheduled ? "Running" : "Pending"),
            "qosClass": hostNetwork ? "Burstable" : "Burstable",
        ]
        if scheduled {
            status["conditions"] = [
                condition("PodReadyToStartContainers", true), condition("Initialized", true),
                condition("Ready", ready, reason: "ContainersNotReady"), condition("ContainersReady", ready, reason: "ContainersNotReady"),
                condition("PodScheduled", true),
            ]
            status["containerStatuses"] = [[
                "containerID": "containerd://" + uid(name + "c").replacingOccurrences(of: "-", with: ""),
                "image": image, "imageID": String(image.split(separator: ":")[0]) + "@sha256:" + String(repeating: String(uid(name).prefix(8)), count: 8),
                "lastState": [String: Any](), "name": container, "ready": ready, "restartCount": 0, "started": true,
                "state": ["running": ["startedAt": "2026-11-28T09:13:31Z"]],
            ] as [String: Any]]
            status["hostIP"] = "10.1.0." + node!.split(separator: "-").last!
            status["podIP"] = hostNetwork ? status["hostIP"]! : "192.168.0.\(2 + stableNumber(name) % 200)"
            status["startTime"] = "2026-11-28T09:13:30Z"
        } else {
            status["conditions"] = [[
                "lastProbeTime": NSNull(), "lastTransitionTime": "2026-11-28T09:13:02Z",
                "message": "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
                "reason": "Unschedulable", "status": "False", "type": "PodScheduled",
            ] as [String: Any]]
        }
        var spec: [String: Any] = [
            "containers": [["image": image, "imagePullPolicy": "IfNotPresent", "name": container]],
            "dnsPolicy": hostNetwork ? "ClusterFirstWithHostNet" : "Default",
            "priorityClassName": namespace == "kube-system" ? "system-node-critical" : "system-cluster-critical",
            "restartPolicy": "Always", "schedulerName": "default-scheduler",
        ]
        if hostNetwork { spec["hostNetwork"] = true }
        if let node { spec["nodeName"] = node }
        return [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["creationTimestamp": created, "labels": labels, "name": name, "namespace": namespace,
                         "resourceVersion": String(400 + stableNumber(name)), "uid": uid(name)] as [String: Any],
            "spec": spec,
            "status": status,
        ]
    }

    // MARK: helpers

    private static func stableNumber(_ s: String) -> Int {
        Int(s.utf8.reduce(UInt32(7)) { $0 &* 31 &+ UInt32($1) } % 1000)
    }

    private static func list(_ items: [[String: Any]]) -> [String: Any] {
        ["apiVersion": "v1", "items": items, "kind": "List", "metadata": ["resourceVersion": ""]]
    }

    /// A stable UUID-shaped id derived from a name (so fixtures do not change between runs).
    private static func uid(_ seed: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in seed.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        var g = h &* 0x9e37_79b9_7f4a_7c15
        g ^= g >> 29
        let hex = String(format: "%016llx%016llx", h, g)
        let c = Array(hex)
        return "\(String(c[0..<8]))-\(String(c[8..<12]))-\(String(c[12..<16]))-\(String(c[16..<20]))-\(String(c[20..<32]))"
    }

    /// Pretty JSON the way the tools print it: `"key": value`, sorted keys, `[]`/`{}` when empty;
    /// kubectl indents by 4, cloud-init (Python's json.dumps(indent=1)) by 1.
    static func json(_ object: Any, indent: Int = 4) -> String {
        var out = ""
        write(object, indent: indent, level: 0, into: &out)
        return out + "\n"
    }

    private static func write(_ value: Any, indent: Int, level: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent * (level + 1))
        let close = String(repeating: " ", count: indent * level)
        switch value {
        case let d as [String: Any]:
            if d.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, key) in d.keys.sorted().enumerated() {
                out += pad + quote(key) + ": "
                write(d[key]!, indent: indent, level: level + 1, into: &out)
                out += i == d.count - 1 ? "\n" : ",\n"
            }
            out += close + "}"
        case let a as [Any]:
            if a.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, v) in a.enumerated() {
                out += pad
                write(v, indent: indent, level: level + 1, into: &out)
                out += i == a.count - 1 ? "\n" : ",\n"
            }
            out += close + "]"
        case let s as String: out += quote(s)
        case let b as Bool: out += b ? "true" : "false"
        case let n as Int: out += String(n)
        case let x as Double: out += x == x.rounded() && abs(x) < 1e15 ? String(format: "%.1f", x) : String(x)
        case is NSNull: out += "null"
        default: out += "null"
        }
    }

    private static func quote(_ s: String) -> String {
        var r = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": r += "\\\""
            case "\\": r += "\\\\"
            case "\n": r += "\\n"
            case "\t": r += "\\t"
            default:
                if ch.value < 0x20 { r += String(format: "\\u%04x", ch.value) } else { r.unicodeScalars.append(ch) }
            }
        }
        return r + "\""
    }
}

import Foundation
@testable import LabVerify
import LabRehearsal
import LabTestSupport
import XCTest

/// The verifier asks kubectl for a jsonpath of a few fields; a replayed master answers it
/// with text derived from its recorded `-o json` lists. These tests read the JSON replay
/// themselves and check that the jsonpath replay says the same, for the probe's exact
/// templates, on a cluster caught before its CNI is up: every node NotReady, CoreDNS Pending.
final class ReplayedJSONPathTests: XCTestCase {
    var directory: TemporaryDirectory!
    var master: LoopbackMaster!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory("labctl-jsonpath")
        master = try LoopbackMaster(directory: directory.url.appendingPathComponent("m"), authorizedKeys: [], replay: .becomesReady(workers: 2, cloudInitDoneAfter: 0, nodesReadyAfter: 3600))
    }

    override func tearDown() {
        master?.stop()
        directory?.remove()
    }

    func kubectl(_ arguments: [String]) throws -> Shell.Output {
        try Shell.run(master.directory.appendingPathComponent("bin/kubectl").path,
                      ["--kubeconfig", "/etc/kubernetes/admin.conf"] + arguments)
    }

    func items(_ kind: String) throws -> [[String: Any]] {
        let out = try kubectl(["get", kind] + (kind == "pods" ? ["--all-namespaces"] : []) + ["-o", "json"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        return try XCTUnwrap(list["items"] as? [[String: Any]])
    }

    static func ready(_ item: [String: Any]) -> [String: Any]? {
        ((item["status"] as? [String: Any])?["conditions"] as? [[String: Any]])?.first { $0["type"] as? String == "Ready" }
    }

    func testNodeLinesAreTheRecordedNodesReadyConditions() throws {
        let expected = try items("nodes").map { n -> String in
            let name = (n["metadata"] as? [String: Any])?["name"] as? String ?? ""
            let ready = Self.ready(n)
            return "\(name)\t\(ready?["status"] as? String ?? "")\t\(ready?["reason"] as? String ?? "")\n"
        }.joined()
        let out = try kubectl(["get", "nodes", "-o", "jsonpath=" + RemoteProbe.nodesJSONPath])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(out.stdout, expected)
        XCTAssertTrue(out.stdout.contains("ip-10-1-0-21\tFalse\tKubeletNotReady\n"), out.stdout)
        let nodes = try XCTUnwrap(ClusterHealth.nodes(out.stdout))
        XCTAssertEqual(nodes.map(\.isReady), [false, false, false])
        XCTAssertEqual(nodes.map(\.notReadyReason), ["KubeletNotReady", "KubeletNotReady", "KubeletNotReady"])
    }

    func testPodLinesAreTheRecordedPodsLabelsAndReadyCondition() throws {
        let recorded = try items("pods")
        // CoreDNS is not scheduled (Pending: no Ready condition, an empty field); calico-node is not Ready anywhere.
        XCTAssertTrue(recorded.contains { ($0["status"] as? [String: Any])?["phase"] as? String == "Pending" })
        let expected = recorded.map { p -> String in
            let meta = p["metadata"] as? [String: Any] ?? [:]
            let labels = meta["labels"] as? [String: String] ?? [:]
            return "\(meta["namespace"] as? String ?? "")\t\(labels["component"] ?? "")\t\(labels["k8s-app"] ?? "")\t\(Self.ready(p)?["status"] as? String ?? "")\n"
        }.joined()
        let out = try kubectl(["get", "pods", "--all-namespaces", "-o", "jsonpath=" + RemoteProbe.podsJSONPath])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(out.stdout, expected)
        let pods = try XCTUnwrap(ClusterHealth.pods(out.stdout))
        XCTAssertEqual(pods.count, recorded.count)
        XCTAssertEqual(pods.filter { $0.k8sApp == "calico-node" && !$0.isReady }.count, 3)
        XCTAssertTrue(out.stdout.contains("kube-system\t\tkube-dns\t\n"), out.stdout)
        XCTAssertEqual(pods.filter { $0.component == "kube-apiserver" && $0.isReady }.count, 1)
    }

    func testAnotherTemplateIsNotReplayed() throws {
        let out = try kubectl(["get", "nodes", "-o", "jsonpath={.items[*].metadata.name}"])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("no recording"), out.stderr)
    }

    func testALineWithTheWrongFieldCountIsNoNodeList() {
        XCTAssertNil(ClusterHealth.nodes("ip-10-1-0-10\tTrue\n"))
        XCTAssertEqual(ClusterHealth.nodes("")?.count, 0)
    }
}

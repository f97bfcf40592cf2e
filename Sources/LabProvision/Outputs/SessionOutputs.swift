import Foundation
import LabCore

/// The session stack's outputs (`terraform output -json`).
public struct SessionOutputs: Equatable, Sendable {
    public var clusters: [ClusterAddress]
    public var participantCount: Int?
    public var totalInstances: Int?
    public var costExplorerFilter: String?

    /// Parses `terraform output -json`; an empty object (nothing applied) gives no clusters.
    public static func parse(_ data: Data) throws -> SessionOutputs {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw OutputsError("expected a JSON object")
        }
        func value(_ name: String) -> Any? { (root[name] as? [String: Any])?["value"] }
        var clusters: [ClusterAddress] = []
        if let map = value("clusters") as? [String: Any] {
            for (id, raw) in map.sorted(by: { $0.key < $1.key }) {
                guard let c = raw as? [String: Any] else { throw OutputsError("clusters[\(id)] is not an object") }
                clusters.append(ClusterAddress(
                    discreteID: id,
                    masterPublicIP: c["master_public_ip"] as? String,
                    masterPrivateIP: c["master_private_ip"] as? String,
                    workerPublicIPs: c["worker_public_ips"] as? [String] ?? [],
                    workerPrivateIPs: c["worker_private_ips"] as? [String] ?? [],
                    podCIDR: c["pod_cidr"] as? String,
                    masterInstanceID: c["master_instance_id"] as? String,
                    workerInstanceIDs: c["worker_instance_ids"] as? [String] ?? []))
            }
        }
        let info = value("session_info") as? [String: Any]
        return SessionOutputs(clusters: clusters,
                              participantCount: (info?["participant_count"] as? NSNumber)?.intValue,
                              totalInstances: (info?["total_instances"] as? NSNumber)?.intValue,
                              costExplorerFilter: info?["aws_cost_explorer_filter"] as? String)
    }
}

public struct OutputsError: Error, CustomStringConvertible {
    public let description: String
    init(_ d: String) { description = d }
}

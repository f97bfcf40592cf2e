import Foundation

/// What a Terraform state holds, read straight from the state JSON (the
/// local backend's file, or `terraform state pull` for S3) instead of
/// running several Terraform commands per session.
public struct StateSummary: Equatable, Sendable {
    public struct Instance: Equatable, Sendable {
        public var address: String
        public var id: String?
        public var state: String?
        public var publicIP: String?
        public var participant: String?
        public var role: String?
    }

    /// Managed resource instances (what `terraform state list` counts).
    public var resourceCount: Int
    public var instances: [Instance]
    public var serial: Int?
    public var terraformVersion: String?

    public static let empty = StateSummary(resourceCount: 0, instances: [], serial: nil, terraformVersion: nil)

    public static func parse(_ data: Data) throws -> StateSummary {
        guard !data.isEmpty else { return .empty }
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw OutputsError("state is not a JSON object") }
        var count = 0
        var instances: [Instance] = []
        for case let resource as [String: Any] in root["resources"] as? [Any] ?? [] {
            guard resource["mode"] as? String == "managed" else { continue }
            let type = resource["type"] as? String ?? ""
            let name = resource["name"] as? String ?? ""
            let module = resource["module"].map { "\($0)." } ?? ""
            for case let inst as [String: Any] in resource["instances"] as? [Any] ?? [] {
                count += 1
                guard type == "aws_instance" else { continue }
                let attrs = inst["attributes"] as? [String: Any] ?? [:]
                let tags = attrs["tags"] as? [String: Any] ?? [:]
                let key = inst["index_key"].map { "[\"\($0)\"]" } ?? ""
                instances.append(Instance(address: "\(module)\(type).\(name)\(key)", id: attrs["id"] as? String,
                                          state: attrs["instance_state"] as? String, publicIP: attrs["public_ip"] as? String,
                                          participant: tags["Participant"] as? String, role: tags["Role"] as? String))
            }
        }
        return StateSummary(resourceCount: count, instances: instances, serial: (root["serial"] as? NSNumber)?.intValue,
                            terraformVersion: root["terraform_version"] as? String)
    }
}

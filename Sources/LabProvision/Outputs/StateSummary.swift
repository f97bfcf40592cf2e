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
        /// The `Participant` tag: a discrete id, or a spare's `spare_N`.
        public var discreteID: String?
        public var role: String?
    }

    /// Managed resource instances (what `terraform state list` counts).
    public var resourceCount: Int
    public var instances: [Instance]
    public var serial: Int?
    public var terraformVersion: String?

    public static let empty = StateSummary(resourceCount: 0, instances: [], serial: nil, terraformVersion: nil)

    /// Decodes only what the summary needs: a state of 50 participants is ~1 MB, mostly
    /// attributes nobody reads here (user data, rules), and building `[String: Any]` for all
    /// of it (JSONSerialization) made `labctl status` of 20 such sessions take seconds.
    /// The other resources' instances are counted, not decoded.
    public static func parse(_ data: Data) throws -> StateSummary {
        guard !data.isEmpty else { return .empty }
        let file: StateFile
        do { file = try JSONDecoder().decode(StateFile.self, from: data) } catch let error as DecodingError {
            throw OutputsError("the state is not a Terraform state JSON object (\(Self.describe(error)))")
        }
        var count = 0
        var instances: [Instance] = []
        for resource in file.resources where resource.mode == "managed" {
            count += resource.instanceCount
            let module = resource.module.map { "\($0)." } ?? ""
            for entry in resource.instances {
                let a = entry.attributes
                instances.append(Instance(address: "\(module)\(resource.type).\(resource.name)\(entry.indexKey?.addressSuffix ?? "")",
                                          id: a?.id, state: a?.instance_state, publicIP: a?.public_ip,
                                          discreteID: a?.tags?["Participant"] ?? nil, role: a?.tags?["Role"] ?? nil))
            }
        }
        return StateSummary(resourceCount: count, instances: instances, serial: file.serial, terraformVersion: file.terraform_version)
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let c), .keyNotFound(_, let c), .typeMismatch(_, let c), .valueNotFound(_, let c):
            let path = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? c.debugDescription : "at \(path): \(c.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// The parts of a state file `StateSummary` reads; every other key is skipped by the decoder.
private struct StateFile: Decodable {
    var serial: Int?
    var terraform_version: String?
    var resources: [Resource]

    enum CodingKeys: String, CodingKey { case serial, terraform_version, resources }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        serial = try c.decodeIfPresent(Int.self, forKey: .serial)
        terraform_version = try c.decodeIfPresent(String.self, forKey: .terraform_version)
        resources = try c.decodeIfPresent([Resource].self, forKey: .resources) ?? []
    }

    struct Resource: Decodable {
        var mode: String?
        var type: String
        var name: String
        var module: String?
        var instanceCount: Int
        /// Decoded for `aws_instance` only.
        var instances: [InstanceEntry]

        enum CodingKeys: String, CodingKey { case mode, type, name, module, instances }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            mode = try c.decodeIfPresent(String.self, forKey: .mode)
            type = try c.decodeIfPresent(String.self, forKey: .type) ?? ""
            name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
            module = try c.decodeIfPresent(String.self, forKey: .module)
            guard c.contains(.instances), try !c.decodeNil(forKey: .instances) else {
                instanceCount = 0; instances = []; return
            }
            if type == "aws_instance" && mode == "managed" {
                instances = try c.decode([InstanceEntry].self, forKey: .instances)
                instanceCount = instances.count
            } else {
                // Counting needs no decoding of the elements.
                var list = try c.nestedUnkeyedContainer(forKey: .instances)
                if let n = list.count { instanceCount = n } else {
                    var n = 0
                    while !list.isAtEnd { _ = try list.decode(Skipped.self); n += 1 }
                    instanceCount = n
                }
                instances = []
            }
        }
    }

    struct InstanceEntry: Decodable {
        var indexKey: IndexKey?
        var attributes: Attributes?
        enum CodingKeys: String, CodingKey { case indexKey = "index_key", attributes }
    }

    /// `for_each` keys are strings, `count` indexes numbers; both as Terraform writes addresses.
    enum IndexKey: Decodable {
        case string(String), number(Int)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let n = try? c.decode(Int.self) { self = .number(n) } else { self = .string(try c.decode(String.self)) }
        }
        var addressSuffix: String {
            switch self {
            case .string(let s): return "[\"\(s)\"]"
            case .number(let n): return "[\(n)]"
            }
        }
    }

    struct Attributes: Decodable {
        var id: String?
        var instance_state: String?
        var public_ip: String?
        var tags: [String: String?]?
    }

    /// Any JSON value, read and dropped (only when a decoder cannot count a list up front).
    struct Skipped: Decodable { init(from decoder: Decoder) throws {} }
}

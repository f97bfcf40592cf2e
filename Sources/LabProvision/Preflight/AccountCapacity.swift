import Foundation

/// What `terraform/preflight` asks AWS: the sessions checked, the instance types
/// and volume sizes to group by, and the Service Quotas to read (by check name).
public struct CapacityQuery: Sendable, Equatable {
    public struct QuotaRef: Sendable, Equatable {
        public var serviceCode: String
        public var quotaCode: String
        public init(serviceCode: String, quotaCode: String) {
            self.serviceCode = serviceCode
            self.quotaCode = quotaCode
        }
    }

    public var region: String
    public var project: String
    public var networkName: String
    public var sessions: [String]
    public var instanceTypes: [String]
    public var volumeSizes: [Int]
    public var quotas: [String: QuotaRef]
    /// The lab's id: what carries it is "this lab" (`lab_id`; "" counts the project's tags alone).
    public var labID: String = ""

    public init(region: String, project: String, networkName: String, sessions: [String], instanceTypes: [String],
                volumeSizes: [Int], quotas: [String: QuotaRef]) {
        self.region = region
        self.project = project
        self.networkName = networkName
        self.sessions = sessions
        self.instanceTypes = instanceTypes
        self.volumeSizes = volumeSizes
        self.quotas = quotas
    }

    /// The stack's `.tfvars.json`.
    func renderJSON() throws -> Data {
        let object: [String: Any] = [
            "region": region, "project": project, "network_name": networkName, "sessions": sessions, "lab_id": labID,
            "instance_types": instanceTypes, "volume_sizes": volumeSizes,
            "quotas": quotas.mapValues { ["service_code": $0.serviceCode, "quota_code": $0.quotaCode] },
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}

/// What the account has, as the stack's outputs report it.
public struct AccountCapacity: Sendable, Equatable {
    public struct Quota: Sendable, Equatable {
        public var name: String
        public var value: Double
        public var defaultValue: Double
    }

    /// Read quotas by check name; a quota Service Quotas could not answer is in `unknownQuotas`.
    public var quotas: [String: Quota]
    /// Check name → why the quota is unknown (the provider's error).
    public var unknownQuotas: [String: String]
    /// Default vCPUs per instance type (the EC2 API's instance type data).
    public var vcpus: [String: Int]
    /// Availability zones of the network's subnets; empty when the network is not deployed.
    public var zones: [String]
    /// Zone → free addresses in the network's subnet there (one per node).
    public var freeAddresses: [String: Int]
    /// Instance type → the network zones that offer it.
    public var offerings: [String: [String]]
    /// What runs in the region besides the checked sessions, in one of two groups.
    public struct InUse: Sendable, Equatable {
        public var instancesByType: [String: Int] = [:]
        public var securityGroups = 0
        public var gp3GiB = 0
        public init(instancesByType: [String: Int] = [:], securityGroups: Int = 0, gp3GiB: Int = 0) {
            self.instancesByType = instancesByType
            self.securityGroups = securityGroups
            self.gp3GiB = gp3GiB
        }
    }

    /// Under the project's tags ("this lab"), without the checked sessions' own resources.
    public var lab: InUse
    /// Everything else in the region ("others"): the quotas count it too.
    public var others: InUse
    /// Network interfaces in the region, without the checked sessions'.
    public var networkInterfacesInUse: Int

    /// Parses the `outputs` message of `terraform apply -json`.
    static func parse(outputs: [String: Any], unknown: [String: String]) throws -> AccountCapacity {
        func value(_ name: String) throws -> Any {
            guard let o = outputs[name] as? [String: Any], let v = o["value"] else {
                throw ProvisionError.unreadableOutputs(session: "preflight", reason: "output \(name) is missing")
            }
            return v
        }
        func int(_ any: Any?) -> Int { (any as? NSNumber)?.intValue ?? 0 }
        let quotas = (try value("quotas") as? [String: [String: Any]] ?? [:]).mapValues {
            Quota(name: $0["name"] as? String ?? "", value: ($0["value"] as? NSNumber)?.doubleValue ?? 0,
                  defaultValue: ($0["default"] as? NSNumber)?.doubleValue ?? 0)
        }
        let inUse = try value("in_use") as? [String: Any] ?? [:]
        func group(_ name: String) -> InUse {
            let g = inUse[name] as? [String: Any] ?? [:]
            return InUse(instancesByType: (g["instances_by_type"] as? [String: Any] ?? [:]).mapValues { int($0) },
                         securityGroups: int(g["security_groups"]), gp3GiB: int(g["gp3_gib"]))
        }
        return AccountCapacity(
            quotas: quotas, unknownQuotas: unknown,
            vcpus: (try value("vcpus") as? [String: Any] ?? [:]).mapValues { int($0) },
            zones: try value("zones") as? [String] ?? [],
            freeAddresses: (try value("free_addresses") as? [String: Any] ?? [:]).mapValues { int($0) },
            offerings: try value("offerings") as? [String: [String]] ?? [:],
            lab: group("lab"), others: group("others"),
            networkInterfacesInUse: int(inUse["network_interfaces"]))
    }
}

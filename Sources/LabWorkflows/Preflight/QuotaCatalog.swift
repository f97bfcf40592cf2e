import LabProvision

/// The quotas the preflight compares with, by check name. Codes are Service Quotas'
/// (the provider falls back to the AWS default when the account has no applied
/// value); key pairs have no Service Quotas code, so their documented limit is used.
public enum QuotaCatalog {
    public struct Entry: Sendable {
        public var check: String
        public var title: String
        public var serviceCode: String?
        public var quotaCode: String?
        /// The AWS documented value, for a quota the API does not have.
        public var documentedDefault: Int?
        /// GiB per quota unit (gp3 storage is quoted in TiB).
        public var gibPerUnit: Int = 1
        public var code: String? { serviceCode.flatMap { s in quotaCode.map { "\(s)/\($0)" } } }
    }

    public static let vcpus = Entry(check: "vcpus", title: "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances, vCPUs",
                                    serviceCode: "ec2", quotaCode: "L-1216C47A")
    public static let securityGroups = Entry(check: "security-groups", title: "VPC security groups per Region",
                                             serviceCode: "vpc", quotaCode: "L-E79EC296")
    public static let rulesPerGroup = Entry(check: "rules-per-security-group", title: "Inbound or outbound rules per security group",
                                            serviceCode: "vpc", quotaCode: "L-0EA8095F")
    public static let gp3Storage = Entry(check: "gp3-storage-gib", title: "Storage for General Purpose SSD (gp3) volumes",
                                         serviceCode: "ebs", quotaCode: "L-7A658B76", gibPerUnit: 1024)
    public static let networkInterfaces = Entry(check: "network-interfaces", title: "Network interfaces per Region",
                                                serviceCode: "vpc", quotaCode: "L-DF5E4CA3")
    public static let keyPairs = Entry(check: "key-pairs", title: "EC2 key pairs per Region (documented limit)",
                                       documentedDefault: 5000)

    /// The entries read from Service Quotas.
    public static let read: [Entry] = [vcpus, securityGroups, rulesPerGroup, gp3Storage, networkInterfaces]

    static var query: [String: CapacityQuery.QuotaRef] {
        Dictionary(uniqueKeysWithValues: read.compactMap { e in
            e.serviceCode.flatMap { s in e.quotaCode.map { (e.check, CapacityQuery.QuotaRef(serviceCode: s, quotaCode: $0)) } }
        })
    }

    /// Instance families counted by the Standard vCPU quota (A, C, D, H, I, M, R, T, Z).
    public static func isStandardFamily(_ instanceType: String) -> Bool {
        guard let first = instanceType.first else { return false }
        return "acdhimrtz".contains(first)
    }
}

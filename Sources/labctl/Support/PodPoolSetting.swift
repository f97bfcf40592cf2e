import Foundation
import LabCore

/// The pod CIDR pool from `LABCTL_POD_CIDR_POOL` (and the VPC from `LABCTL_VPC_CIDR`).
enum PodPoolSetting {
    static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> PodCIDRPool {
        var vpc = PodCIDRPool.defaultVPC
        if let text = env["LABCTL_VPC_CIDR"], !text.isEmpty {
            guard let parsed = IPv4CIDR(text) else {
                throw LabFailure.usage("LABCTL_VPC_CIDR '\(text)' is not an IPv4 CIDR (e.g. 10.0.0.0/16).")
            }
            vpc = parsed
        }
        return try PodCIDRPool(spec: env["LABCTL_POD_CIDR_POOL"], vpc: vpc)
    }
}

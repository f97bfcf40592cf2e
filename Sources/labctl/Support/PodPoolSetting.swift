import Foundation
import LabCore

/// The pod CIDR pool from `LABCTL_POD_CIDR_POOL`, each cluster's network size
/// from `LABCTL_POD_CIDR_PREFIX` (default /21) and the VPC from `LABCTL_VPC_CIDR`.
enum PodPoolSetting {
    static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> PodCIDRPool {
        var vpc = PodCIDRPool.defaultVPC
        if let text = env["LABCTL_VPC_CIDR"], !text.isEmpty {
            guard let parsed = IPv4CIDR(text) else {
                throw LabFailure.usage("LABCTL_VPC_CIDR '\(text)' is not an IPv4 CIDR (e.g. 10.0.0.0/16).")
            }
            vpc = parsed
        }
        var prefix = PodCIDRPool.defaultClusterPrefix
        if let text = env[PodCIDRPool.prefixSetting], !text.isEmpty {
            let digits = text.hasPrefix("/") ? String(text.dropFirst()) : text
            guard let parsed = Int(digits) else {
                throw LabFailure.usage("\(PodCIDRPool.prefixSetting) '\(text)' is not a prefix length; set it to a number such as \(PodCIDRPool.defaultClusterPrefix) (one /\(PodCIDRPool.defaultClusterPrefix) per cluster).")
            }
            prefix = parsed
        }
        do {
            return try PodCIDRPool(spec: env[PodCIDRPool.poolSetting], vpc: vpc, clusterPrefix: prefix)
        } catch {
            throw LabFailure.usage(error.description)
        }
    }
}

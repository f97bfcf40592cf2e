/// How much CPU a burstable (T family) instance type earns: its vCPUs and the
/// baseline share of each vCPU it can use without spending credits. AWS's table
/// "Key concepts and definitions for burstable performance instances"
/// (docs.aws.amazon.com/AWSEC2/latest/UserGuide/burstable-credits-baseline-concepts.html).
///
/// In `unlimited` mode an instance that runs above its baseline once its earned
/// credits are spent pays for the difference (surplus credits), per vCPU-hour.
/// The most it can pay is every vCPU busy all hour: vCPUs × (1 − baseline)
/// vCPU-hours per hour. T3/T3a/T4g instances start without launch credits, so
/// a freshly launched node is in that state from its first minute.
public struct BurstableBaseline: Equatable, Sendable {
    public var vCPUs: Int
    /// Share of each vCPU, 0…1 (t3.small: 0.2).
    public var baseline: Double

    /// vCPU-hours per hour beyond the baseline when every vCPU is busy: the surplus an
    /// hour of full load bills at most.
    public var maxSurplusVCPUHoursPerHour: Double { Double(vCPUs) * (1 - baseline) }

    /// Whether `instanceType` belongs to a burstable family (credit modes apply).
    public static func isBurstable(_ instanceType: String) -> Bool {
        ["t2.", "t3.", "t3a.", "t4g."].contains { instanceType.hasPrefix($0) }
    }

    /// The baseline of a burstable type; nil for other types and unknown sizes.
    public static func of(_ instanceType: String) -> BurstableBaseline? {
        guard let dot = instanceType.firstIndex(of: ".") else { return nil }
        let family = String(instanceType[..<dot]), size = String(instanceType[instanceType.index(after: dot)...])
        switch family {
        case "t2": return t2[size]
        case "t3", "t3a", "t4g": return t3[size] // the same vCPUs and baselines
        default: return nil
        }
    }

    static let t3: [String: BurstableBaseline] = [
        "nano": .init(vCPUs: 2, baseline: 0.05), "micro": .init(vCPUs: 2, baseline: 0.10),
        "small": .init(vCPUs: 2, baseline: 0.20), "medium": .init(vCPUs: 2, baseline: 0.20),
        "large": .init(vCPUs: 2, baseline: 0.30), "xlarge": .init(vCPUs: 4, baseline: 0.40),
        "2xlarge": .init(vCPUs: 8, baseline: 0.40),
    ]
    static let t2: [String: BurstableBaseline] = [
        "nano": .init(vCPUs: 1, baseline: 0.05), "micro": .init(vCPUs: 1, baseline: 0.10),
        "small": .init(vCPUs: 1, baseline: 0.20), "medium": .init(vCPUs: 2, baseline: 0.20),
        "large": .init(vCPUs: 2, baseline: 0.30), "xlarge": .init(vCPUs: 4, baseline: 0.225),
        "2xlarge": .init(vCPUs: 8, baseline: 0.17),
    ]
}

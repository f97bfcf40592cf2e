import Foundation
import LabCore
import LabStore

/// Cost of a session: the cost model applied to its settings and participant count.
/// `labctl cost` and the dashboard both use this.
public enum SessionCost {
    /// The estimate for `session` with `participants` clusters (the registry's count when nil).
    public static func estimate(_ session: String, files: LabFiles, registry: Registry?, participants: Int? = nil,
                                prices: PriceTable = .euWest1) throws -> CostEstimate {
        let config = try files.sessionConfig(session)
        let count = try participants ?? registry?.participantCounts()[session] ?? 0
        return try estimate(config, participants: count, prices: prices)
    }

    /// The same for a session configuration already read (status reads it once for all its columns).
    public static func estimate(_ config: SessionConfig, participants: Int, prices: PriceTable = .euWest1) throws -> CostEstimate {
        let volume = config.values["root_volume_size"]?.intValue ?? 30
        do {
            return try CostModel.estimate(session: config, participants: participants, rootVolumeGB: volume, prices: prices)
        } catch {
            throw WorkflowError.usage(error.description)
        }
    }

    /// `$0.34`
    public static func usd(_ value: Double) -> String { String(format: "$%.2f", value) }
}

import LabCore
import LabProvision
import LabStore

/// What one session asks of the AWS account once applied, counted from the same
/// inputs Terraform gets: the clusters of `SessionInputsBuilder` and the session's tfvars.
public struct SessionDemand: Sendable, Equatable {
    public var session: String
    public var region: String
    public var project: String
    public var networkName: String
    public var clusters: Int
    /// Nodes per instance type: one master per cluster, `worker_count` workers.
    public var instancesByType: [String: Int]
    public var rootVolumeGiB: Int
    /// Inbound rules of each cluster's security group: one per SSH, API and NodePort
    /// source, plus the intra-cluster rule (outbound: one rule).
    public var ingressRulesPerGroup: Int

    public var instances: Int { instancesByType.values.reduce(0, +) }
    public var gp3GiB: Int { instances * rootVolumeGiB }

    public static func of(_ session: String, files: LabFiles, registry: Registry) throws -> SessionDemand {
        let config = try files.sessionConfig(session)
        // Spares the next apply adds (SpareClusters.sync) are clusters like any other.
        let clusters = try SessionInputsBuilder.build(session: session, registry: registry).clusters.count
            + max(0, config.spares - registry.spares(session: session).count)
        var byType: [String: Int] = [:]
        byType[config.masterInstanceType, default: 0] += clusters
        if config.workerCount > 0 { byType[config.workerInstanceType, default: 0] += clusters * config.workerCount }
        let nodePortSources = config.values["nodeport_cidrs"]?.listValue?.count ?? 0
        return SessionDemand(
            session: session, region: config.region,
            project: config.values["project"]?.stringValue ?? "k8s-training",
            networkName: config.values["network_name"]?.stringValue ?? "labctl",
            clusters: clusters, instancesByType: byType,
            rootVolumeGiB: config.values["root_volume_size"]?.intValue ?? 30,
            ingressRulesPerGroup: config.allowedSSHCIDRs.count + config.allowedAPICIDRs.count + nodePortSources + 1)
    }
}

import LabCore
import LabStore

/// The dashboard's line on pod network capacity: how many more clusters the
/// sessions sharing this VPC can get, and which settings widen the pool.
struct PodPoolSummary {
    var total: Int
    var free: Int
    var pool: PodCIDRPool

    init(registry: Registry) throws {
        let capacity = try registry.podNetworkCapacity()
        total = capacity.total
        free = capacity.free
        pool = registry.pool
    }

    func render() -> HTML {
        let state = free == 0 ? "state-closed" : (free * 10 < total ? "state-none" : "state-open")
        return """
        <p id="pod-pool" class="\(state)">Cluster networks: <strong>\(free)</strong> of \(total) free \
        (/\(pool.clusterPrefix) each from <code>\(pool.spec)</code>; widen with \
        <code>\(PodCIDRPool.poolSetting)</code> or <code>\(PodCIDRPool.prefixSetting)</code>).</p>
        """
    }
}

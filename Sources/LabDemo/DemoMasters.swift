import Foundation
import LabRehearsal

/// The demo's stand-ins for EC2 masters: one loopback sshd per participant whose
/// session replays a kubeadm node becoming ready; the inventory maps discrete ids to them.
enum DemoMasters {
    static func start(run: DemoRun, supervisor: DemoSupervisor) throws -> [String: URL] {
        let registry = try run.openRegistry()
        var inventories: [String: URL] = [:]
        for s in run.plan.sessions {
            guard let secret = try registry.sessionSecret(s.name) else {
                throw DemoError("no operator key recorded for \(s.name) after apply")
            }
            var inventory: [String: [String: Any]] = [:]
            for p in try registry.participants(in: s.name) {
                let dir = run.labDir.appendingPathComponent(".labctl/demo-masters/\(s.name)/\(p.discreteID)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                let master = try LoopbackMaster(directory: dir, authorizedKeys: [secret.operatorPublicKey, p.key.keyLine],
                                                replay: .becomesReady(workers: s.workers, cloudInitDoneAfter: run.readyAfter * 0.5,
                                                                      nodesReadyAfter: run.readyAfter))
                supervisor.onCleanup("master \(p.discreteID)") { master.stop() }
                run.facts.loginUser = master.loginUser
                run.facts.masters += 1
                inventory[p.discreteID] = ["host": master.host, "port": master.port]
            }
            // Spare clusters: the operator's key only, until `labctl assign` adds a late joiner's.
            let deployed = Set(try registry.clusters(session: s.name).map(\.discreteID))
            for spare in try registry.spares(session: s.name) where spare.isFree && deployed.contains(spare.clusterKey) {
                let dir = run.labDir.appendingPathComponent(".labctl/demo-masters/\(s.name)/\(spare.clusterKey)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                let master = try LoopbackMaster(directory: dir, authorizedKeys: [secret.operatorPublicKey],
                                                replay: .becomesReady(workers: s.workers, cloudInitDoneAfter: run.readyAfter * 0.5,
                                                                      nodesReadyAfter: run.readyAfter))
                supervisor.onCleanup("spare \(spare.clusterKey)") { master.stop() }
                run.facts.masters += 1
                inventory[spare.clusterKey] = ["host": master.host, "port": master.port]
            }
            let file = run.labDir.appendingPathComponent(".labctl/demo-inventory-\(s.name).json")
            let data = try JSONSerialization.data(withJSONObject: inventory, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: file)
            inventories[s.name] = file
        }
        return inventories
    }
}

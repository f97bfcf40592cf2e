import ArgumentParser
import Foundation
import LabProvision
import LabWorkflows

/// `labctl output s1 …`: reads Terraform outputs and records them.
struct Output: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read sessions' Terraform outputs (master and worker IPs) and record them for verify and sheets.",
        discussion: "--json prints {session: {clusters: {<id>: {master_public_ip, …}}, participant_count, total_instances}}."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: SessionsOptions
    @Flag(help: "Print JSON.") var json = false

    struct ClusterJSON: Encodable {
        var master_public_ip: String?
        var master_private_ip: String?
        var worker_public_ips: [String]
        var worker_private_ips: [String]
        var pod_cidr: String?
    }
    struct SessionJSON: Encodable {
        var clusters: [String: ClusterJSON]
        var participant_count: Int?
        var total_instances: Int?
        var aws_cost_explorer_filter: String?
    }

    func run() async throws {
        let recorder = RecordOutputs(try global.lab.openContext())
        var all: [String: SessionJSON] = [:]
        var failed = false
        for s in options.sessions {
            let outputs: SessionOutputs
            do {
                outputs = try await recorder.run(s, waitForLock: !options.noWait)
            } catch let refused as WorkflowError {
                // One session's missing outputs do not hide the others'.
                Terminal.error(refused.message)
                failed = true
                continue
            }
            all[s] = SessionJSON(clusters: Dictionary(uniqueKeysWithValues: outputs.clusters.map {
                ($0.discreteID, ClusterJSON(master_public_ip: $0.masterPublicIP, master_private_ip: $0.masterPrivateIP,
                                            worker_public_ips: $0.workerPublicIPs, worker_private_ips: $0.workerPrivateIPs, pod_cidr: $0.podCIDR))
            }), participant_count: outputs.participantCount, total_instances: outputs.totalInstances,
                aws_cost_explorer_filter: outputs.costExplorerFilter)
            if !json {
                print("\(s): \(outputs.clusters.count) cluster(s), \(outputs.totalInstances ?? 0) instance(s); cost filter: \(outputs.costExplorerFilter ?? "-")")
                print(TextTable(header: ["PARTICIPANT", "MASTER", "WORKERS", "POD CIDR"]).render(outputs.clusters.map {
                    [$0.discreteID, $0.masterPublicIP ?? "-", $0.workerPublicIPs.joined(separator: ","), $0.podCIDR ?? "-"]
                }))
            }
        }
        if json { try JSONOutput.print(all) }
        if failed { throw LabFailure.silentNotOK }
    }
}

import Foundation
import LabProvision

/// `labctl network destroy`: the shared network goes only after every session's
/// resources are gone (their instances and security groups live in its VPC).
public enum SharedNetwork {
    /// Sessions whose Terraform workspace still holds resources, by name.
    public static func sessionsStillDeployed(_ provisioner: Provisioner) async -> [String] {
        var live: [String] = []
        for s in provisioner.workspaces() where await provisioner.hasResources(s) { live.append(s) }
        return live
    }

    /// Refuses (usage) while any session has resources, naming them and the command that removes them.
    public static func requireNoSessions(_ provisioner: Provisioner) async throws {
        let live = await sessionsStillDeployed(provisioner)
        guard live.isEmpty else {
            throw WorkflowError.usage("sessions \(live.joined(separator: ", ")) still have resources in the network; run `labctl destroy \(live.joined(separator: " "))` first.")
        }
    }
}

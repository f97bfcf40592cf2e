import LabProvision
import LabStore

/// Records Terraform's cluster outputs as the inventory verify and sheets read.
public enum OutputRecorder {
    public static func record(_ outputs: SessionOutputs, session: String, registry: Registry) throws {
        let before = try registry.clusters(session: session)
        // A spare handed to a participant stays `spare_N` in Terraform; labctl files it
        // under the participant's discrete id (free spares keep their key).
        let owners = try registry.spareOwners(session: session)
        let after = outputs.clusters.map { output in
            var address = output
            address.discreteID = owners[output.discreteID] ?? output.discreteID
            return ClusterRecord(session: session, address: address)
        }
        try registry.recordClusters(session: session, after)
        try DeployedKeysAfterApply.outputsRecorded(session: session, before: before, after: after, registry: registry)
        try ParticipantStateTracker.outputsRecorded(session: session, before: before, after: after, registry: registry)
    }
}

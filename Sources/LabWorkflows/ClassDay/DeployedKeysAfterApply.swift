import LabStore

/// What an apply's outputs mean for keys replaced after deploy (issue 23, item 5).
enum DeployedKeysAfterApply {
    /// A participant without a cluster forgets the kept built key (their next cluster boots
    /// with the active key). New instances of a participant with a kept key (an accepted
    /// replacement, workers added) booted with the built key: the active key must be pushed again.
    static func outputsRecorded(session: String, before: [ClusterRecord], after: [ClusterRecord], registry: Registry) throws {
        let kept = try registry.deployedKeys(session: session)
        guard !kept.isEmpty else { return }
        let ids = Dictionary(try registry.participants(in: session).map { ($0.record.id!, $0.discreteID) }, uniquingKeysWith: { a, _ in a })
        let now = Dictionary(after.map { ($0.discreteID, $0) }, uniquingKeysWith: { a, _ in a })
        let old = Set(before.flatMap { [$0.masterInstanceID].compactMap { $0 } + $0.workerInstanceIDs })
        var gone: [Int64] = [], renewed: [Int64] = []
        for participantID in kept.keys {
            guard let cluster = ids[participantID].flatMap({ now[$0] }) else { gone.append(participantID); continue }
            let instances = [cluster.masterInstanceID].compactMap { $0 } + cluster.workerInstanceIDs
            if instances.contains(where: { !old.contains($0) }) { renewed.append(participantID) }
        }
        try registry.forgetBuiltKeys(participantIDs: gone)
        try registry.keyPushNeeded(participantIDs: renewed, reason: "new instances booted with the key the cluster was built with")
    }
}

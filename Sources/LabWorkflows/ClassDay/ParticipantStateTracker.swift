import Foundation
import LabCore
import LabStore
import LabVerify

/// Moves participants through their class-day states from what labctl sees anyway:
/// Terraform's outputs (provisioned) and verify's reports (booting, ready, failed).
/// "Key received" is recorded by the registry itself whenever a key is stored.
public enum ParticipantStateTracker {
    /// After outputs were recorded: a participant whose instances are new (or who had
    /// no cluster yet) is provisioned; one whose instances did not change keeps their state.
    /// A replaced master's host-key pin is retired with an audit entry.
    public static func outputsRecorded(session: String, before: [ClusterRecord], after: [ClusterRecord],
                                       registry: Registry, at date: Date = Date()) throws {
        let previous = Dictionary(before.map { ($0.discreteID, $0) }, uniquingKeysWith: { a, _ in a })
        let current = try currentStates(session: session, registry: registry)
        for c in after {
            let old = previous[c.discreteID]
            let replaced = old?.masterInstanceID != c.masterInstanceID || old?.workerInstanceIDs != c.workerInstanceIDs
            let notYetDeployed = current[c.discreteID].map { $0 == .invited || $0 == .keyReceived } ?? true
            guard replaced || notYetDeployed else { continue }
            // A new master instance has a new host key: the old pin and the old verdict
            // describe a machine that is gone (kept in the audit log, not silently overwritten).
            if let before = old?.masterInstanceID, let now = c.masterInstanceID, before != now {
                try registry.retireHostKey(session: session, discreteID: c.discreteID, reason: "master replaced: \(before) -> \(now)")
                try registry.forgetVerification(session: session, discreteID: c.discreteID)
            }
            try registry.enterState(session: session, discreteID: c.discreteID, .provisioned, at: date,
                                    detail: c.masterInstanceID.map { "master \($0)" })
        }
    }

    /// After verify: ready when every check passed; failed when something a person must
    /// look at went wrong (a changed host key, cloud-init or kubeadm failing after boot,
    /// the participant key missing once cloud-init is done) or, with `gaveUp`, when
    /// waiting ran out; booting otherwise (no answer, no login yet, still installing:
    /// that is what a fresh instance looks like for its first minutes).
    public static func verified(session: String, reports: [MasterReport], gaveUp: Bool, registry: Registry) throws {
        for r in reports {
            let (state, detail) = state(of: r, gaveUp: gaveUp)
            try registry.enterState(session: session, discreteID: r.target.discreteID, state, at: r.checkedAt, detail: detail)
        }
    }

    static func state(of r: MasterReport, gaveUp: Bool) -> (ParticipantState, String?) {
        if r.ready { return (.ready, nil) }
        let problem = r.summary
        let c = r.checks
        let broken = r.isPermanentFailure || c[.cloudInit].status == .fail
            || (c[.cloudInit].status == .pass && (c[.kubeadm].status == .fail || c[.participantKey].status == .fail))
        if broken { return (.failed, problem) }
        if gaveUp { return (.failed, "not ready when waiting ended: \(problem)") }
        return (.booting, problem)
    }

    /// Each participant's latest state, by discrete id.
    static func currentStates(session: String, registry: Registry) throws -> [String: ParticipantState] {
        var result: [String: ParticipantState] = [:]
        for entry in try registry.stateHistory(session: session) { result[entry.discreteID] = entry.record.state }
        return result
    }
}

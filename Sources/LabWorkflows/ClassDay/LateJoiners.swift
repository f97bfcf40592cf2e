import Foundation
import LabStore

/// The intake's side of spares: a participant whose key arrives after their session was
/// applied gets the next ready spare in the background (`labctl serve`), without
/// holding up the HTTP answer. One assignment at a time, so two people joining at
/// once never race for the same spare; with none left the key stays registered and
/// the participant waits for the next apply.
public actor LateJoiners: LabUseCase {
    public nonisolated let context: LabContext
    /// Addresses replacing the recorded ones, as for `AssignSpare` (rehearsals).
    public let inventory: [String: VerifySession.Address]?
    public let user: String
    private let log: @Sendable (String) -> Void
    private var tail: Task<Void, Never>?

    public init(_ context: LabContext, inventory: [String: VerifySession.Address]? = nil, user: String = "ubuntu",
                log: @escaping @Sendable (String) -> Void) {
        self.context = context
        self.inventory = inventory
        self.user = user
        self.log = log
    }

    /// Returns at once; the assignment (if any) runs after those queued before it.
    public nonisolated func keyReceived(session: String, discreteID: String) {
        Task { await self.enqueue(session: session, discreteID: discreteID) }
    }

    /// Queues the check for one participant; the task ends when it is done.
    @discardableResult
    public func enqueue(session: String, discreteID: String) -> Task<Void, Never> {
        let previous = tail
        let next = Task {
            await previous?.value
            await self.assignIfLate(session: session, discreteID: discreteID)
        }
        tail = next
        return next
    }

    /// Waits for every queued assignment (a stopping `serve`: the keys it already
    /// accepted still get their spare before it exits).
    public func finishQueued() async {
        while let current = tail {
            await current.value
            if tail == current { tail = nil }
        }
    }

    /// Puts a key replaced after deploy onto the participant's cluster, in turn with the
    /// assignments (a late joiner's spare gets the key they hold when it runs). Nil when
    /// they have no cluster; a failure is recorded (the dashboard and /me show it) and logged.
    public func pushReplacedKey(session: String, discreteID: String) async -> PushParticipantKey.Outcome? {
        let previous = tail
        let next = Task { () -> PushParticipantKey.Outcome? in
            await previous?.value
            var request = PushParticipantKey.Request(session: session, participant: discreteID)
            request.inventory = self.inventory
            request.user = self.user
            request.via = .web
            do {
                let outcome = try await PushParticipantKey(self.context).run(request)
                if case .failed(let p, let hosts, let retry) = outcome {
                    let why = hosts.filter { !$0.ok }.map { "\($0.node): \($0.detail)" }.joined(separator: "; ")
                    self.log("intake: \(p.discreteID) replaced their key after apply; not on every node of their cluster (\(why)): run `\(retry)`.")
                }
                return outcome
            } catch {
                self.log("intake: \(discreteID) replaced their key after apply; not pushed: \(error)")
                return nil
            }
        }
        tail = Task { _ = await next.value }
        return await next.value
    }

    /// Assigns only for a deployed session and someone without a cluster; everyone
    /// else is built by the next apply, as before spares.
    func assignIfLate(session: String, discreteID: String) async {
        do {
            // Cheap first: while a room joins, the session is usually not applied yet.
            guard try registry.hasClusters(session: session) else { return }
            let clusters = try registry.clusters(session: session)
            guard !clusters.isEmpty, !clusters.contains(where: { $0.discreteID == discreteID }) else { return }
            let deployed = Set(clusters.map(\.discreteID))
            guard try registry.spares(session: session).contains(where: { $0.isFree && deployed.contains($0.clusterKey) }) else {
                log("intake: \(discreteID) joined \(session) after apply and no spare is left: they wait for the next `labctl apply \(session)`.")
                return
            }
            var request = AssignSpare.Request(session: session, participant: discreteID)
            request.inventory = inventory
            request.user = user
            request.via = .web
            let outcome = try await AssignSpare(context).run(request)
            log("intake: \(discreteID) joined \(session) after apply: spare \(outcome.spare) assigned, "
                + (outcome.ready ? "verified ready with their key." : "not ready yet (`labctl verify \(session) --participant \(discreteID) --wait`)."))
        } catch {
            log("intake: \(discreteID) joined \(session) after apply; no spare assigned: \(error)")
        }
    }
}

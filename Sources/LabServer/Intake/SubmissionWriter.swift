import Dispatch
import LabStore
import Synchronization

/// Group commit for submissions. Concurrent requests queue their operations;
/// one batch at a time goes to `Registry.applyIntake` (one transaction, a
/// savepoint per operation), and while it commits the next batch collects.
/// Each caller resumes only after its batch's transaction has committed, so
/// an acknowledged submission is durable and a failed commit acknowledges none.
///
/// Not an actor: with one, every submission hopped onto the actor and every
/// batch hopped off it to the database and back before the next could start.
/// Here a caller prepares its operation (hashes, new token) on its own thread,
/// in parallel with the batch being written, appends it under a lock, and the
/// batches run one after another on a serial queue of their own, whose thread
/// may block in SQLite's commit without holding up Swift's cooperative threads.
final class SubmissionWriter: Sendable {
    typealias Reply = Result<IntakeOutcome, IntakeRefusal>
    private typealias Waiter = (operation: PreparedIntake, continuation: CheckedContinuation<Reply, any Error>)
    private struct State {
        var pending: [Waiter] = []
        var draining = false
    }

    private let registry: Registry
    private let maximumBatch: Int
    /// A session's `max_participants`, enforced inside each batch's transaction.
    private let participantCap: @Sendable (String) -> Int?
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "labctl.intake.submission-writer")

    init(registry: Registry, maximumBatch: Int = 256, participantCap: @escaping @Sendable (String) -> Int? = { _ in nil }) {
        self.registry = registry
        self.maximumBatch = maximumBatch
        self.participantCap = participantCap
    }

    /// Applies `operation` with the next batch; returns once it is committed.
    /// Throws if the batch's transaction failed (nothing was stored).
    func submit(_ operation: IntakeOperation) async throws -> Reply {
        let prepared = PreparedIntake(operation)
        return try await withCheckedThrowingContinuation { continuation in
            let startDrain = state.withLock { state in
                state.pending.append((prepared, continuation))
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startDrain { queue.async { self.drain() } }
        }
    }

    /// Writes batches until none is pending.
    private func drain() {
        while true {
            let batch: [Waiter] = state.withLock { state in
                guard !state.pending.isEmpty else {
                    state.draining = false
                    return []
                }
                let count = min(state.pending.count, maximumBatch)
                let batch = Array(state.pending.prefix(count))
                state.pending.removeFirst(count)
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let replies = try registry.applyIntake(prepared: batch.map(\.operation), participantCap: participantCap)
                for (item, reply) in zip(batch, replies) { item.continuation.resume(returning: reply) }
            } catch {
                for item in batch { item.continuation.resume(throwing: error) }
            }
        }
    }
}

import LabStore

/// Group commit for submissions. Concurrent requests queue their operations;
/// one batch at a time goes to `Registry.applyIntake` (one transaction, a
/// savepoint per operation), and while it commits the next batch collects.
/// Each caller resumes only after its batch's transaction has committed, so
/// an acknowledged submission is durable and a failed commit acknowledges none.
actor SubmissionWriter {
    typealias Reply = Result<IntakeOutcome, IntakeRefusal>

    private let registry: Registry
    private let maximumBatch: Int
    private var pending: [(operation: IntakeOperation, continuation: CheckedContinuation<Reply, any Error>)] = []
    private var draining = false

    init(registry: Registry, maximumBatch: Int = 256) {
        self.registry = registry
        self.maximumBatch = maximumBatch
    }

    /// Applies `operation` with the next batch; returns once it is committed.
    /// Throws if the batch's transaction failed (nothing was stored).
    func submit(_ operation: IntakeOperation) async throws -> Reply {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((operation, continuation))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(maximumBatch))
            pending.removeFirst(batch.count)
            do {
                let replies = try await registry.applyIntake(batch.map(\.operation))
                for (item, reply) in zip(batch, replies) { item.continuation.resume(returning: reply) }
            } catch {
                for item in batch { item.continuation.resume(throwing: error) }
            }
        }
        draining = false
    }
}

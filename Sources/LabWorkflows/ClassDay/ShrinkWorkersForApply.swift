import Foundation

extension ShrinkWorkers {
    /// `labctl apply`, after the trainer confirmed: each session's clusters shrink to
    /// the `worker_count` its file says now, before Terraform destroys the leaving
    /// workers. `onResult` hears every master that had Node objects to remove.
    public func run(sessions: [String], files: LabFiles,
                    onResult: (_ session: String, _ result: ShrinkWorkers.Result) -> Void) async throws {
        for session in sessions {
            let workers = try files.sessionConfig(session).workerCount
            for result in try await run(session: session, workers: workers) { onResult(session, result) }
        }
    }
}

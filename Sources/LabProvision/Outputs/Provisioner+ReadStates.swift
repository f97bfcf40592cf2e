import Foundation

extension Provisioner {
    /// Several sessions' states at once (`labctl status` of a whole event): read and parsed
    /// concurrently, at most one per core, since parsing is the cost (a 50-participant
    /// state is ~0.7 MB of JSON). Sessions without a state are absent from the result.
    public func readStates(_ sessions: [String]) async throws -> [String: StateSummary] {
        let width = max(1, ProcessInfo.processInfo.activeProcessorCount)
        return try await withThrowingTaskGroup(of: (String, StateSummary?).self) { group in
            var states: [String: StateSummary] = [:]
            var next = sessions.makeIterator()
            func start() -> Bool {
                guard let s = next.next() else { return false }
                group.addTask {
                    // A state that cannot be pulled is shown as none here; reap and the guards read it themselves.
                    do { return (s, try await self.readState(s)) } catch ProvisionError.unreadableState { return (s, nil) }
                }
                return true
            }
            for _ in 0..<width where !start() { break }
            while let (s, state) = try await group.next() {
                if let state { states[s] = state }
                _ = start()
            }
            return states
        }
    }
}

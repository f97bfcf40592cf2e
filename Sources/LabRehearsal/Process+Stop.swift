import Foundation

extension Process {
    /// SIGTERM, then SIGKILL after `grace` seconds; waits for the exit. A child spawned
    /// from a thread that blocks SIGTERM (Dispatch's workers do) inherits that mask and
    /// would otherwise never exit.
    public func stop(grace: TimeInterval = 5) {
        guard isRunning else { return }
        terminate()
        let deadline = Date().addingTimeInterval(grace)
        while isRunning && Date() < deadline { usleep(20_000) }
        if isRunning { kill(processIdentifier, SIGKILL) }
        waitUntilExit()
    }
}

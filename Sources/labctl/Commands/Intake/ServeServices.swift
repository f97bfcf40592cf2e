import Foundation
import LabCore
import LabWorkflows
import ServiceLifecycle

/// The reaper loop as a Service: on graceful shutdown it starts no further run, and a
/// run in progress gets SIGINT (to each child's process group) so Terraform stops and
/// releases its state lock before `serve` exits.
struct ReaperService: Service {
    let schedule: ReapSchedule
    let report: @Sendable (ReapSchedule.Event) -> Void

    func run() async throws {
        await withGracefulShutdownHandler {
            _ = await schedule.run(
                stopping: { Task.isShuttingDownGracefully || Task.isCancelled },
                pause: { seconds in
                    // Ends early (nil) when shutdown begins or the group is cancelled.
                    (try? await cancelWhenGracefulShutdown { try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000)) }) != nil
                },
                report: report)
        } onGracefulShutdown: {
            ChildProcesses.shared.interruptAll()
        }
    }
}

/// The late joiners' background assignments as a Service: idle until shutdown, then
/// waits for the assignments already queued (the HTTP server stops first, so no new ones).
struct LateJoinerService: Service {
    let joiners: LateJoiners

    func run() async throws {
        try? await gracefulShutdown()
        await joiners.finishQueued()
    }
}

import Foundation
import LabWorkflows

/// `labctl serve --reap-every 15m`: runs `ReapSessions` (as `labctl reap -y`) on a
/// schedule inside the service, one line per session that was not simply "not due".
enum ServeReaper {
    static func start(every interval: TimeInterval, lab: Lab) throws -> Task<Void, Never> {
        let registry = try lab.openRegistry()
        let reaper = ReapSessions(provisioner: lab.provisioner(), registry: registry, files: lab.files)
        FileHandle.standardOutput.write(Data("  reaping sessions past their end + grace every \(DurationArgument.format(interval))\n".utf8))
        return Task.detached {
            while !Task.isCancelled {
                do {
                    let outcome = try await reaper.run(dryRun: false)
                    for e in outcome.entries where e.action != .notDue {
                        let line = "reap: \(e.session) \(e.action.rawValue): \(e.detail)\(e.log.map { " (log: \($0))" } ?? "")\n"
                        FileHandle.standardError.write(Data(line.utf8))
                    }
                } catch {
                    FileHandle.standardError.write(Data("reap: failed: \(error)\n".utf8))
                }
                try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
            }
        }
    }
}

import Foundation
import LabCore
import LabStore

/// `labctl list`: every session with a `sessions/<name>.tfvars`, its settings and how many
/// participants it has; a file that does not parse is listed with its problem, not left out.
public struct SessionListing: Sendable {
    public var session: String
    /// nil when the file does not parse (`problem` says why).
    public var config: SessionConfig?
    public var problem: String?
    public var participants: Int

    /// `registry` nil: no database yet (reading must not create one), so nobody is registered.
    public static func read(_ files: LabFiles, registry: Registry?) throws -> [SessionListing] {
        let counts = try registry?.participantCounts() ?? [:]
        return files.configuredSessions().map { s in
            do {
                return SessionListing(session: s, config: try files.sessionConfig(s), problem: nil, participants: counts[s] ?? 0)
            } catch {
                return SessionListing(session: s, config: nil, problem: "\(error)", participants: counts[s] ?? 0)
            }
        }
    }
}

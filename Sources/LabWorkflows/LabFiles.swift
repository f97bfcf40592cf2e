import Foundation
import LabCore
import LabProvision

/// The lab's own files the use cases read: `sessions/<name>.tfvars` and
/// `mail-templates/`, under the lab root.
public struct LabFiles: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    public var sessionsDirectory: URL { root.appendingPathComponent("sessions") }
    public var mailTemplates: URL { root.appendingPathComponent("mail-templates") }
    public func sessionFile(_ session: String) -> URL { sessionsDirectory.appendingPathComponent("\(session).tfvars") }

    /// Relative to the root when inside it, for shorter messages.
    public func display(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// The session's settings; a missing file is a usage error that says how to make one.
    public func sessionConfig(_ session: String) throws -> SessionConfig {
        let url = sessionFile(session)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw WorkflowError.usage(ProvisionError.missingSessionFile(session: session, path: display(url)).description)
        }
        return try SessionConfig.parse(text, file: display(url), expectedSession: session)
    }

    /// Sessions with a `sessions/<name>.tfvars`, by name.
    public func configuredSessions() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: sessionsDirectory.path)) ?? [])
            .filter { $0.hasSuffix(".tfvars") }.map { String($0.dropLast(".tfvars".count)) }.sorted()
    }
}

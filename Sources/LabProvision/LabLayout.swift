import Foundation
import LabCore

/// Where a lab keeps its files: the Terraform stacks, per-session var files,
/// logs, locks and state backups.
public struct LabLayout: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    public var terraformDirectory: URL { root.appendingPathComponent("terraform") }
    public var sessionStack: URL { terraformDirectory.appendingPathComponent("session") }
    public var networkStack: URL { terraformDirectory.appendingPathComponent("network") }
    public var labctlDirectory: URL { root.appendingPathComponent(".labctl") }

    public func sessionFile(_ session: String) -> URL { root.appendingPathComponent("sessions/\(session).tfvars") }
    /// Participants and secrets rendered from SQLite (0600, never committed).
    public func varFile(_ session: String) -> URL { labctlDirectory.appendingPathComponent("vars/\(session).tfvars.json") }
    public func lockFile(_ session: String) -> URL { labctlDirectory.appendingPathComponent("locks/session-\(session).lock") }
    public func initLockFile(_ stack: String) -> URL { labctlDirectory.appendingPathComponent("locks/init-\(stack).lock") }
    public var backupsDirectory: URL { labctlDirectory.appendingPathComponent("backups") }

    public func logFile(_ session: String, verb: String, at date: Date = Date()) -> URL {
        let stamp = ISO8601DateFormatter.string(from: date, timeZone: TimeZone(identifier: "UTC")!,
                                                formatOptions: [.withFullDate, .withTime, .withTimeZone])
            .replacingOccurrences(of: ":", with: "")
        return labctlDirectory.appendingPathComponent("logs/\(session)/\(stamp)-\(verb).log")
    }

    /// The local backend's state file of a session's workspace.
    public func localState(_ session: String) -> URL {
        sessionStack.appendingPathComponent("terraform.tfstate.d/\(session)/terraform.tfstate")
    }

    /// The S3 backend settings, when the lab uses remote state (`terraform/backend.s3.hcl`).
    public var s3BackendConfig: URL { terraformDirectory.appendingPathComponent("backend.s3.hcl") }
    public var usesS3Backend: Bool { FileManager.default.fileExists(atPath: s3BackendConfig.path) }

    /// Where the network's state lives in S3 mode: beside the sessions' `key`, as
    /// `<folder of key>/network.tfstate` (`labctl/session.tfstate` → `labctl/network.tfstate`);
    /// the sessions' states are under `env:/<session>/<key>`, so the two never meet.
    public func s3NetworkStateKey() throws -> String {
        let text = (try? String(contentsOf: s3BackendConfig, encoding: .utf8)) ?? ""
        let assignments = try TFVarsReader.read(text, file: s3BackendConfig.path)
        guard let key = assignments.last(where: { $0.name == "key" })?.value.stringValue, !key.isEmpty else {
            throw ProvisionError.backendConfig(path: s3BackendConfig.path, problem: "it names no key (e.g. key = \"labctl/session.tfstate\")")
        }
        return Self.networkKey(besides: key)
    }

    static func networkKey(besides key: String) -> String {
        guard let slash = key.lastIndex(of: "/") else { return "network.tfstate" }
        return String(key[..<slash]) + "/network.tfstate"
    }
}

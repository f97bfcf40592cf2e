import Foundation
import LabProvision

/// The demo's class-day step (issue 14): the first session keeps one spare cluster;
/// after the deploy, a late joiner's key arrives and `labctl assign` hands them the
/// spare — their key installed over SSH, verified ready with it, no Terraform run.
enum DemoLateJoiner {
    static let first = "Hedy"
    static let last = "Lamarr"
    static let stem = "hedy.lamarr"

    /// `create-config` arguments: one spare in the first session only.
    static func spareArguments(_ session: String, plan: DemoPlan) -> [String] {
        session == plan.sessions.first?.name ? ["--spares", "1"] : []
    }

    /// Returns what the progress line says.
    static func run(_ run: DemoRun, supervisor: DemoSupervisor, inventories: [String: URL]) throws -> String {
        guard let session = run.plan.sessions.first?.name, let inventory = inventories[session] else { return "no session" }
        let folder = run.labDir.appendingPathComponent("participant-keys/\(session)")
        let key = OperatorKey.generate(comment: "\(stem)@demo")
        let privateFile = folder.appendingPathComponent("\(stem)_ed25519")
        FileManager.default.createFile(atPath: privateFile.path, contents: Data(key.privateKeyPEM.utf8), attributes: [.posixPermissions: 0o600])
        let publicFile = privateFile.appendingPathExtension("pub")
        try (key.publicKeyLine + "\n").write(to: publicFile, atomically: true, encoding: .utf8)
        try supervisor.labctl("late-joiner-key", ["keys", "add", session, stem, "--file", publicFile.path, "--display-name", "\(first) \(last)"])
        let out = try supervisor.labctl("assign-\(session)", ["assign", session, stem, "--inventory", inventory.path,
                                                            "--user", run.facts.loginUser, "--json", "--no-sheet"], output: .stdoutOnly)
        struct Assigned: Decodable { var spare: String; var ready: Bool }
        guard let assigned = try? JSONDecoder().decode(Assigned.self, from: Data(out.utf8)), assigned.ready else {
            throw DemoError("`labctl assign \(session) \(stem)` did not report a ready spare: \(out.prefix(300))")
        }
        return "\(stem) joined \(session) late and got \(assigned.spare): key installed over SSH, verified ready with it, no Terraform run"
    }
}

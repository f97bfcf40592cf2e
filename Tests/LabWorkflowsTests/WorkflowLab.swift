import Foundation
import LabCore
import LabStore
import LabTestSupport
import LabWorkflows

/// A lab folder for in-process use-case tests: a registry, the repository's mail
/// templates and `sessions/<s>.tfvars`; participants with real ssh-keygen keys.
final class WorkflowLab {
    let dir: TemporaryDirectory
    let registry: Registry
    let session = "s1"
    var files: LabFiles { LabFiles(root: dir.url) }
    /// The lab as the use cases see it (Terraform settings from the environment).
    var context: LabContext { LabContext(registry: registry, root: dir.url) }

    init(_ name: String, tfvars: String = "") throws {
        dir = try TemporaryDirectory(name)
        registry = try Registry(path: dir.file(".labctl/lab.sqlite").path)
        for sub in ["sessions", "keys"] { try FileManager.default.createDirectory(at: dir.file(sub), withIntermediateDirectories: true) }
        try ("session_name = \"\(session)\"\nworker_count = 1\n" + tfvars).write(to: dir.file("sessions/\(session).tfvars"), atomically: true, encoding: .utf8)
        let copy = try Shell.run("cp", ["-R", RepositoryPaths.mailTemplates.path, dir.file("mail-templates").path])
        guard copy.status == 0 else { throw TestSupportError("copying mail-templates failed: \(copy.stderr)") }
    }

    /// Registers `name` with a fresh key; returns the participant and their key pair.
    @discardableResult
    func add(_ name: String, email: String? = nil, comment: String = "laptop") throws -> (Participant, KeyGen.Pair) {
        let pair = try KeyGen.generate(in: dir.file("keys"), name: name, comment: comment)
        let outcome = try registry.register(session: session, name: try ParticipantName(canonical: name), email: email,
                                            key: try PublicKeyParser.parse(pair.publicLine), via: .cli)
        return (outcome.participant, pair)
    }

    func remove() { dir.remove() }
}

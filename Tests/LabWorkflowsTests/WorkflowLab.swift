import Foundation
import LabCore
import LabStore
import LabTestSupport
import LabWorkflows

/// A `TestLab` for in-process use-case tests: one session `s1` (`sessions/s1.tfvars`),
/// its registry and the repository's mail templates; participants with real ssh-keygen keys.
final class WorkflowLab {
    let dir: TestLab
    let registry: Registry
    let session = "s1"
    var files: LabFiles { LabFiles(root: dir.url) }
    /// The lab as the use cases see it (Terraform settings from the environment).
    var context: LabContext { LabContext(registry: registry, root: dir.url) }

    init(_ name: String, tfvars: String = "") throws {
        dir = try TestLab(name, moto: false)
        registry = try dir.registry()
        try dir.writeSession(session, "worker_count = 1\n" + tfvars)
        try dir.copyMailTemplates()
    }

    /// Registers `name` with a fresh key; returns the participant and their key pair.
    @discardableResult
    func add(_ name: String, email: String? = nil, comment: String = "laptop") throws -> (Participant, KeyGen.Pair) {
        let added = try dir.register(name, in: session, registry: registry, email: email, comment: comment)
        return (added.participant, added.key)
    }

    func remove() { dir.remove() }
}

import ArgumentParser
import Foundation
import LabCore
import LabProvision
import LabStore
import LabWorkflows

/// Options shared by the Terraform verbs.
struct SessionsOptions: ParsableArguments {
    @Argument(help: "One or more sessions (sessions/<name>.tfvars).")
    var sessions: [String]

    @Option(help: "How many sessions run Terraform at once (default: \(TerraformBatch.defaultParallel), so that one account's EC2 API rate limits hold; throttled runs are retried).")
    var parallel: Int?

    /// `--parallel`, or the default for one account (never more than the sessions named).
    var parallelOrDefault: Int { parallel ?? min(sessions.count, TerraformBatch.defaultParallel) }

    @Flag(name: .customLong("no-wait"), help: "Fail at once if another labctl holds a session's lock, instead of waiting.")
    var noWait = false

    func validate() throws {
        if sessions.isEmpty { throw ValidationError("Name at least one session, e.g. `session-1`.") }
        if let p = parallel, p < 1 { throw ValidationError("--parallel must be at least 1.") }
        for s in sessions { try SessionName.validateArgument(s) }
    }
}

extension Lab {
    var layout: LabLayout { LabLayout(root: root) }

    func provisioner() -> Provisioner {
        Provisioner(layout: layout, settings: TerraformSettings.fromEnvironment())
    }

    /// Reads and checks sessions/<s>.tfvars: name matches, types well-formed; prints warnings.
    func sessionConfig(_ session: String) throws -> SessionConfig { try files.sessionConfig(session) }
}

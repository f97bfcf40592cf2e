import Foundation
import LabCore
import LabProvision
import LabStore

/// Everything a `plan` or `apply` of a session hands Terraform: participants and
/// secrets (SQLite), the end (tags and dead-man timer) and the budget. Every path that
/// applies a session (apply, extend, rebuild) builds its inputs here, so none of them
/// applies a session without its end or its budget.
public enum ApplyInputs {
    public struct Built: Sendable {
        public var inputs: SessionInputs
        /// What a trainer should read before the run (SSH open to the world, a budget nobody hears of, …).
        public var warnings: [String]
    }

    public static func build(_ session: String, files: LabFiles, registry: Registry, now: Date = Date()) throws -> Built {
        var inputs = try SessionInputsBuilder.build(session: session, registry: registry)
        inputs.lifetime = try SessionEndPolicy.terraformInputs(session, files: files, registry: registry)
        let budget = try SessionBudget.plan(session, files: files, registry: registry, now: now)
        inputs.budget = budget.inputs
        return Built(inputs: inputs, warnings: try files.sessionConfig(session).warnings + budget.warnings)
    }
}

import Foundation
import LabProvision
import LabStore

/// `labctl output <session>` and the step after every apply: reads the session's
/// Terraform outputs and records the clusters' addresses (verify and sheets read them).
public struct RecordOutputs: Sendable, LabUseCase {
    public let context: LabContext
    public init(_ context: LabContext) { self.context = context }

    /// The outputs, once recorded. Refuses (`.notOK`, naming the log) when Terraform gives none.
    public func run(_ session: String, waitForLock: Bool = true) async throws -> SessionOutputs {
        let r = try await provisioner.run(.output, session: session, inputs: nil, options: .init(waitForLock: waitForLock))
        guard let outputs = r.outputs else {
            let why = r.outputsProblem ?? "terraform output failed"
            throw WorkflowError.notOK(ProvisionError.unreadableOutputs(session: session, reason: "\(why) (log: \(files.display(r.log)))").description)
        }
        try OutputRecorder.record(outputs, session: session, registry: registry)
        return outputs
    }
}

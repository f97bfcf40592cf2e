import Foundation
import LabCore
import LabProvision
import LabStore

/// `labctl plan`, `apply` and `destroy`: one Terraform verb for several sessions
/// (`TerraformBatch`), and after each session's successful run what that verb implies:
/// an apply records the clusters' addresses, a destroy clears them and the host-key
/// pins (or, with `forget`, removes the session from the registry).
public struct RunSessions: Sendable, LabUseCase {
    public enum Action: Sendable, Equatable {
        case plan, apply
        case destroy(forget: Bool)

        var verb: Provisioner.Verb {
            switch self {
            case .plan: return .plan
            case .apply: return .apply
            case .destroy: return .destroy
            }
        }
    }

    public let context: LabContext
    public let action: Action
    public let parallel: Int
    public let waitForLock: Bool
    public let retry: ThrottleRetry

    public init(_ context: LabContext, _ action: Action, parallel: Int, waitForLock: Bool = true, retry: ThrottleRetry = .fromEnvironment()) {
        self.context = context
        self.action = action
        self.parallel = parallel
        self.waitForLock = waitForLock
        self.retry = retry
    }

    /// Outcomes in the order of `sessions`; a failing session does not stop the others.
    public func run(_ sessions: [String], onEvent: @escaping @Sendable (TerraformBatch.Event) -> Void = { _ in }) async -> [TerraformBatch.Outcome] {
        let batch = TerraformBatch(context, verb: action.verb, parallel: parallel, waitForLock: waitForLock, retry: retry)
        let context = self.context
        switch action {
        case .plan:
            return await batch.run(sessions, onEvent: onEvent)
        case .apply:
            return await batch.run(sessions, onEvent: onEvent) { session, _ in
                try await SessionDeployment.recordOutputs(session: session, context: context)
            }
        case .destroy(let forget):
            return await batch.run(sessions, onEvent: onEvent) { session, _ in
                try SessionDeployment.afterDestroy(session: session, forget: forget, registry: context.registry)
            }
        }
    }
}

import Foundation

/// Instances a session's state records as stopped, and the one command that starts them
/// again. With an end, nodes are launched to stop (not terminate) when shut down from
/// inside (`sudo poweroff` in an exercise), because the cluster's backstop schedule
/// terminates them at end + grace (docs/lifetime.md). The state is only as fresh as the
/// last `labctl apply`.
public struct StoppedInstances: Equatable, Sendable {
    public var ids: [String]
    public var startCommand: String

    /// nil when no instance is recorded as stopped (or stopping).
    public init?(states: [(id: String?, state: String?)], region: String?) {
        let ids = states.compactMap { i in ["stopped", "stopping"].contains(i.state ?? "") ? i.id : nil }.sorted()
        guard !ids.isEmpty else { return nil }
        self.ids = ids
        let regionFlag = region.map { " --region \($0)" } ?? ""
        startCommand = "aws ec2 start-instances\(regionFlag) --instance-ids \(ids.joined(separator: " "))"
    }
}

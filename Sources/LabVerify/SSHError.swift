/// A failure of one step of an SSH conversation, with a one-line reason for reports.
public struct SSHError: Error, Sendable, CustomStringConvertible {
    /// Which step failed; decides which readiness check the failure belongs to.
    public enum Step: Sendable {
        case library, resolve, connect, handshake, authenticate, channel
    }
    public let step: Step
    public let message: String
    /// True when the per-host deadline passed (as opposed to a refusal).
    public let timedOut: Bool

    public init(_ step: Step, _ message: String, timedOut: Bool = false) {
        self.step = step
        self.message = message
        self.timedOut = timedOut
    }

    public var description: String { message }
}

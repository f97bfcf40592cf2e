/// A use case's refusal, worded for the user (the thing, the reason, the next step),
/// with what kind of failure it is so the command line can pick the exit code.
public struct WorkflowError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The checked thing is not ok (exit 1).
        case notOK
        /// Usage or environment: a bad option, a missing file (exit 2).
        case usage
    }

    public var kind: Kind
    public var message: String
    public var description: String { message }

    public static func usage(_ message: String) -> WorkflowError { WorkflowError(kind: .usage, message: message) }
    public static func notOK(_ message: String) -> WorkflowError { WorkflowError(kind: .notOK, message: message) }
}

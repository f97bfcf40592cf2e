import Foundation

/// How a child process ended: its exit code, or the signal that killed it.
public enum Termination: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)

    public var succeeded: Bool { self == .exited(0) }

    /// The shell's convention: the exit code, or 128 + the signal number.
    public var status: Int32 {
        switch self {
        case .exited(let code): code
        case .signalled(let signal): 128 + signal
        }
    }

    public var description: String {
        switch self {
        case .exited(let code): "exit status \(code)"
        case .signalled(let signal): "killed by signal \(signal)"
        }
    }

    /// Decodes a `waitpid` status word.
    init(waitStatus s: Int32) {
        // WIFEXITED / WEXITSTATUS / WTERMSIG are C macros Swift cannot import.
        if s & 0x7F == 0 { self = .exited((s >> 8) & 0xFF) } else { self = .signalled(s & 0x7F) }
    }
}

import LabCore
import LabSheets
import LabStore
import LabWorkflows

/// An error to show the user with an exit code: 1 when the checked thing is
/// not ok, 2 for usage or environment problems.
struct LabFailure: Error {
    var message: String
    var exitCode: Int32

    static func usage(_ message: String) -> LabFailure { LabFailure(message: message, exitCode: 2) }
    static func notOK(_ message: String) -> LabFailure { LabFailure(message: message, exitCode: 1) }
    /// Already reported line by line; exit quietly with 1.
    static let silentNotOK = LabFailure(message: "", exitCode: 1)

    /// Domain errors from the libraries, with the exit code they deserve.
    init?(domainError error: Error) {
        switch error {
        case let e as RegistryError:
            if case .cannotOpen = e { self = .usage(e.description) } else { self = .notOK(e.description) }
        case let e as KeyRefusal: self = .notOK(e.message)
        case let e as NameError: self = .usage(e.description)
        case let e as SessionNameError: self = .usage(e.description)
        case let e as SessionConfigError: self = .usage(e.description)
        case let e as PoolError: self = .notOK(e.description)
        case let e as EmailAddressError: self = .usage(e.description)
        case let e as TemplateError: self = .usage(e.description)
        case let e as WorkflowError: self = e.kind == .usage ? .usage(e.message) : .notOK(e.message)
        default: return nil
        }
    }

    init(message: String, exitCode: Int32) {
        self.message = message
        self.exitCode = exitCode
    }
}

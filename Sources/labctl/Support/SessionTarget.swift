import ArgumentParser
import LabCore

/// `--root`, `--db` and the one session a command works on. The name is checked here,
/// once for every such command (as `SessionsOptions` checks several): a malformed one
/// is a usage error (exit 2) before anything runs.
struct SessionTarget: ParsableArguments {
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The session (sessions/<name>.tfvars), e.g. session-1.") var session: String

    var lab: Lab { global.lab }

    func validate() throws { try SessionName.validateArgument(session) }
}

extension SessionName {
    /// `validate` for a command-line argument: a malformed name is a usage error.
    static func validateArgument(_ name: String) throws {
        do { try validate(name) } catch { throw ValidationError(error.description) }
    }
}

import ArgumentParser
import Foundation

/// The `labctl` command: Kubernetes training labs on AWS.
@main
struct Labctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labctl",
        abstract: "Run hands-on Kubernetes training labs on AWS: keys, clusters, checks and connection sheets.",
        discussion: """
        A lab directory holds sessions/<name>.tfvars, participants/<session>/*.pub,
        terraform/ and mail-templates/; labctl keeps its state in .labctl/lab.sqlite.

        Typical flow:
          labctl create-config session-1 --workers 1 --ssh-from 203.0.113.0/24
          labctl keys import session-1          # participants/session-1/*.pub
          labctl keys list session-1
          labctl open session-1                 # self-service join link
          labctl serve                          # intake web service + /admin dashboard

        Exit codes: 0 ok, 1 the checked thing is not ok, 2 usage or environment error.
        """,
        subcommands: [Keys.self, CreateConfig.self, ListSessions.self, Workspaces.self, Init.self, Plan.self, Preflight.self, Apply.self,
                      Destroy.self, Output.self, Status.self, Switch.self, Unlock.self, Network.self, Cost.self,
                      Sheets.self, Serve.self, Open.self, Close.self, Demo.self, Verify.self,
                      Reap.self, Extend.self, Sweep.self, Rebuild.self, Assign.self]
    )

    /// Maps errors to labctl's exit codes: usage errors are 2 (ArgumentParser would say 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as LabFailure {
            Terminal.error(failure.message)
            Foundation.exit(failure.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                Terminal.error(fullMessage(for: error))
                Foundation.exit(2)
            }
            if let described = LabFailure(domainError: error) {
                Terminal.error(described.message)
                Foundation.exit(described.exitCode)
            }
            exit(withError: error)
        }
    }
}

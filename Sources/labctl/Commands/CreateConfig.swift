import ArgumentParser
import Foundation
import LabCore
import LabWorkflows

/// `labctl create-config <session>`: a new, commented sessions/<session>.tfvars.
struct CreateConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-config",
        abstract: "Write sessions/<session>.tfvars with commented defaults.",
        discussion: """
          labctl create-config session-1 --ssh-from 203.0.113.0/24 --workers 2 --master-type t3.large
          labctl create-config session-2 --ssh-from 203.0.113.0/24 --spares 2   # for late joiners
        --ssh-from is the training room's public address range (repeat it for several);
        SSH is not opened to the whole internet by default. Without --ssh-from, the public
        address this shell connects from (SSH_CONNECTION) is used when there is one;
        otherwise create-config stops and says how to give a range. Edit the file afterwards as
        you like; it never holds keys or secrets.
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The session name: lower-case letters, digits, hyphens (e.g. session-1).") var session: String
    @Option(help: "Workers per participant cluster (0–20).") var workers = 1
    @Option(name: .customLong("master-type"), help: "EC2 instance type of each master.") var masterType = "t3.medium"
    @Option(name: .customLong("worker-type"), help: "EC2 instance type of each worker.") var workerType = "t3.small"
    @Option(help: "AWS region.") var region = "eu-west-1"
    @Option(name: .customLong("ssh-from"), help: ArgumentHelp("A source range allowed to reach SSH, e.g. the training room's public range (repeatable).", valueName: "CIDR"))
    var sshFrom: [String] = []
    @Option(help: ArgumentHelp("When the session ends, with its zone: 2026-12-04T17:00:00+01:00 or \"2026-12-04 17:00 Europe/Berlin\". Required by apply (or apply --no-end).", valueName: "time"))
    var end: String?
    @Option(help: ArgumentHelp("Spare clusters for late joiners (0–\(SessionConfig.maximumSpares)); `labctl assign` hands them out.", valueName: "n"))
    var spares = 0
    @Option(name: .customLong("max-participants"), help: ArgumentHelp("Participants the session takes at most (1–\(SessionConfig.maximumParticipantCap)); past it joins answer \"session full\".", valueName: "n"))
    var maxParticipants = SessionConfig.defaultMaxParticipants
    @Flag(help: "Overwrite an existing file.") var force = false

    func validate() throws {
        guard (0...20).contains(workers) else { throw ValidationError("--workers must be from 0 to 20.") }
        guard (0...SessionConfig.maximumSpares).contains(spares) else { throw ValidationError("--spares must be from 0 to \(SessionConfig.maximumSpares).") }
        guard (1...SessionConfig.maximumParticipantCap).contains(maxParticipants) else {
            throw ValidationError("--max-participants must be from 1 to \(SessionConfig.maximumParticipantCap).")
        }
        for (flag, value) in [("--master-type", masterType), ("--worker-type", workerType)] where !InstanceType.isWellFormed(value) {
            throw ValidationError("\(flag) '\(value)' is not an EC2 instance type (family.size, e.g. t3.medium).")
        }
        for cidr in sshFrom where !SSHSources.isWellFormed(cidr) {
            throw ValidationError("--ssh-from '\(cidr)' is not a CIDR block (e.g. 203.0.113.0/24, or 203.0.113.10/32 for one address).")
        }
        if let end, SessionEnd.parse(end) == nil { throw ValidationError(SessionEnd.problem(end, name: "--end")) }
    }

    func run() throws {
        let lab = global.lab
        var request = CreateSessionConfig.Request(session: session)
        request.workers = workers
        request.masterType = masterType
        request.workerType = workerType
        request.region = region
        request.sshFrom = sshFrom
        request.end = end.flatMap(SessionEnd.parse)
        request.spares = spares
        request.maxParticipants = maxParticipants
        request.force = force
        let outcome = try CreateSessionConfig(files: lab.files).run(request)
        let shown = lab.display(outcome.file)
        print("\(Terminal.green(Terminal.ok)) wrote \(shown) (at most \(maxParticipants) participants, \(workers) worker(s) each\(spares > 0 ? ", \(spares) spare cluster(s)" : ""), \(masterType)/\(workerType), \(region), SSH from \(outcome.sshFrom.joined(separator: ", ")))")
        if let suggested = outcome.suggested {
            Terminal.warning("SSH is allowed from \(suggested) only, the address you are connected from (SSH_CONNECTION); if the class sits elsewhere, run again with --ssh-from <the room's range> --force.")
        }
        if outcome.opensToEveryone {
            Terminal.warning("SSH is open to the whole internet; `labctl apply \(session)` will ask for --ssh-from-anywhere.")
        }
        if end == nil {
            Terminal.warning("no --end: `labctl apply \(session)` needs session_end in \(shown) (or --no-end); set it with `labctl extend \(session) --until <time>` or edit the file.")
        }
        print("Next: add keys with `labctl keys import \(session)` or `labctl keys add \(session) first.last --file KEY.pub`.")
    }
}

import ArgumentParser
import Foundation
import LabCore

/// `labctl create-config <session>`: a new, commented sessions/<session>.tfvars.
struct CreateConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-config",
        abstract: "Write sessions/<session>.tfvars with commented defaults.",
        discussion: """
          labctl create-config session-1 --workers 2 --master-type t3.large
        Edit the file afterwards (e.g. allowed_ssh_cidrs); it never holds keys or secrets.
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The session name: lower-case letters, digits, hyphens (e.g. session-1).") var session: String
    @Option(help: "Workers per participant cluster (0–20).") var workers = 1
    @Option(name: .customLong("master-type"), help: "EC2 instance type of each master.") var masterType = "t3.medium"
    @Option(name: .customLong("worker-type"), help: "EC2 instance type of each worker.") var workerType = "t3.small"
    @Option(help: "AWS region.") var region = "eu-west-1"
    @Flag(help: "Overwrite an existing file.") var force = false

    func validate() throws {
        guard (0...20).contains(workers) else { throw ValidationError("--workers must be from 0 to 20.") }
        for (flag, value) in [("--master-type", masterType), ("--worker-type", workerType)] where !InstanceType.isWellFormed(value) {
            throw ValidationError("\(flag) '\(value)' is not an EC2 instance type (family.size, e.g. t3.medium).")
        }
    }

    func run() throws {
        try SessionName.validate(session)
        let lab = global.lab
        let url = lab.sessionFile(session)
        if FileManager.default.fileExists(atPath: url.path), !force {
            throw LabFailure.usage("\(lab.display(url)) already exists; edit it, or pass --force to overwrite it.")
        }
        try FileManager.default.createDirectory(at: lab.sessionsDirectory, withIntermediateDirectories: true)
        let date = ISO8601DateFormatter().string(from: Date()).prefix(10)
        let text = SessionConfigTemplate.render(session: session, workers: workers, masterType: masterType,
                                                workerType: workerType, region: region, date: String(date))
        try AtomicFile.write(Data(text.utf8), to: url, permissions: 0o644)
        print("\(Terminal.green(Terminal.ok)) wrote \(lab.display(url)) (\(workers) worker(s) per participant, \(masterType)/\(workerType), \(region))")
        print("Next: add keys with `labctl keys import \(session)` or `labctl keys add \(session) first.last --file KEY.pub`.")
    }
}

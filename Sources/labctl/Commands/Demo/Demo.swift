import ArgumentParser
import Foundation
import LabDemo
import LabWorkflows

/// `labctl demo`: the whole lab rehearsed on one machine — emulated AWS, real
/// Terraform, the real intake service, loopback masters, real verification and sheets.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rehearse a whole training on this machine: emulated AWS, real Terraform, loopback masters.",
        discussion: """
        Runs the real pipeline in a fresh lab directory with its own SQLite file:
          1. starts moto_server (an AWS emulator) on a free loopback port — nothing
             is created on AWS and nothing costs money;
          2. creates sessions of different sizes and participant keys, submits some
             through the running intake service (HTTP) and imports the others from
             participants/<session>/;
          3. applies the network and the sessions in parallel with real Terraform
             (the first session keeps one spare cluster for a late joiner);
          4. starts one loopback sshd per participant master (and spare) that replays
             a kubeadm node becoming ready, and runs `labctl verify --wait` against them;
             then a late joiner's key arrives and `labctl assign` hands them the spare;
          5. renders the connection sheets and prints a summary.
        Everything it started is stopped at the end, on failure and on Ctrl-C.
        Only 127.0.0.1 is ever dialled. Needs terraform, moto_server and sshd
        (scripts/setup.sh installs them); run it from the labctl checkout (it
        copies terraform/ and mail-templates/ from there, or from --root).
          labctl demo
          labctl demo --sessions 3 --participants 6 --workers 2 --dir /tmp/lab --keep
        With --keep the intake service and the emulator keep running and the lab
        directory stays; the summary says how to explore and how to stop them.

        --emulator-only starts just the emulator (moto, and the loopback stand-in for the
        AWS Budgets calls moto lacks) for your own rehearsal, prints the `export` lines
        that point Terraform and labctl at it, and runs until Ctrl-C:
          labctl demo --emulator-only > /tmp/emulator.env &   # then: . /tmp/emulator.env
        """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Sessions to rehearse (1–6).") var sessions = 2
    @Option(help: "Participants in the first session (1–12); each further session has one fewer.") var participants = 4
    @Option(help: "Workers per cluster in odd sessions (0–3); even sessions have one fewer.") var workers = 1
    @Option(help: ArgumentHelp("Seconds the replayed clusters take to become ready.", valueName: "seconds"))
    var readyAfter: Double = 8
    @Flag(help: "Leave the lab directory, the intake service and the emulator running for exploring.") var keep = false
    @Option(help: ArgumentHelp("The lab directory to create (default: a new temporary one). It is kept.", valueName: "dir"))
    var dir: String?
    @Flag(help: "Only start the AWS emulator (moto and the Budgets stand-in), print its environment, run until Ctrl-C.")
    var emulatorOnly = false

    func validate() throws {
        guard (1...6).contains(sessions) else { throw ValidationError("--sessions must be 1–6.") }
        guard (1...12).contains(participants) else { throw ValidationError("--participants must be 1–12.") }
        guard (0...3).contains(workers) else { throw ValidationError("--workers must be 0–3.") }
        guard readyAfter >= 0 && readyAfter <= 120 else { throw ValidationError("--ready-after must be 0–120 seconds.") }
    }

    /// Synchronous on the main thread on purpose: children spawned from Swift's
    /// worker threads inherit their blocked signal mask and then ignore SIGTERM.
    func run() throws {
        if emulatorOnly { return try EmulatorOnly.run(directory: dir) }
        let source = global.lab.root
        try DemoRun.checkPrerequisites(source: source)
        let plan = DemoPlan.make(sessions: sessions, participants: participants, workers: workers)
        let labDir = try DemoLab.create(at: dir, from: source)
        let progress = DemoProgress()
        let run = DemoRun(plan: plan, lab: labDir, keep: keep, removeLabAtEnd: dir == nil && !keep, readyAfter: readyAfter,
                          onEvent: progress.show)
        let report = try run.execute()
        DemoSummary(run: report).print()
    }
}

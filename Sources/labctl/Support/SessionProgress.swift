import Foundation
import LabCore
import LabProvision
import LabWorkflows

/// What `plan`, `apply`, `destroy`, `extend` and `reap` print while LabWorkflows runs
/// Terraform for several sessions (`RunSessions`, `TerraformBatch`): one progress line
/// per session as it changes (throttled into logs and pipes), a summary table at the end.
enum SessionSummary {
    static func print(_ outcomes: [TerraformBatch.Outcome], files: LabFiles) {
        let table = TextTable(header: ["SESSION", "RESULT", "RESOURCES", "TIME", "DETAIL"])
        Swift.print(table.render(outcomes.map { o in
            let r = o.result
            let resources = r.map { String($0.progress.done) } ?? "-"
            let time = r.map { String(format: "%.1fs", $0.elapsed) } ?? "-"
            let retried = o.throttledRetries > 0 ? " (retried \(o.throttledRetries)× after AWS throttling)" : ""
            let detail = (o.error ?? r.map { ($0.progress.summary ?? "") + " log: " + files.display($0.log) } ?? "") + retried
            return [o.session, o.ok ? Terminal.green("ok") : Terminal.red("FAILED"), resources, time, detail]
        }))
    }
}

extension RunSessions {
    /// The run as `plan`, `apply` and `destroy` show it: Ctrl-C forwarded to Terraform,
    /// progress lines while it runs, the summary table at the end.
    func runShowingProgress(_ sessions: [String]) async -> [TerraformBatch.Outcome] {
        Interrupts.installForwarding()
        let outcomes = await run(sessions, onEvent: ProgressPrinter().show)
        SessionSummary.print(outcomes, files: files)
        return outcomes
    }
}

/// One line per batch event on stderr; progress through one gate per session.
// @unchecked Sendable: the gates table is only touched under `lock`.
final class ProgressPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private var gates: [String: ProgressGate] = [:]

    func show(_ event: TerraformBatch.Event) {
        switch event {
        case .starting(let s): Terminal.note("[\(s)] starting")
        case .waiting(let s, let holder): Terminal.note("[\(s)] waiting: session is \(holder)")
        case .warning(_, let message): Terminal.warning(message)
        case .done(let s, let what): Terminal.note("[\(s)] \(what)")
        case let .retrying(s, attempt, of, delay, reason):
            Terminal.warning("[\(s)] throttled by AWS (\(reason)); retrying in \(Int(delay.rounded())) s (run \(attempt) of \(of))")
        case .progress(let s, let p): if gate(s).shouldPrint(p) { Terminal.note("[\(s)] \(p.line)") }
        }
    }

    private func gate(_ session: String) -> ProgressGate {
        lock.lock(); defer { lock.unlock() }
        if let g = gates[session] { return g }
        let g = ProgressGate(everyChange: Terminal.stderrIsTerminal)
        gates[session] = g
        return g
    }
}

/// Ctrl-C, a lost terminal (SIGHUP) or SIGTERM during Terraform runs: forward SIGINT to
/// every child and let them finish (they release their state locks and write their state),
/// instead of dying and leaving instances that no state knows.
enum Interrupts {
    static func installForwarding() {
        ChildProcesses.shared.forwardInterrupts { signal in
            let what = signal == SIGHUP ? "the terminal hung up" : signal == SIGTERM ? "asked to stop (SIGTERM)" : "interrupted"
            Terminal.warning("\(what): asking Terraform to stop and waiting for it to release its locks…")
        }
    }
}

import Foundation
import LabProvision
import LabStore
import LabWorkflows

/// Runs a Terraform verb for several sessions in parallel (bounded), with one
/// progress line per session as it changes and a summary table at the end.
/// A failing session does not stop the others.
struct SessionRunner {
    let lab: Lab
    let registry: Registry
    let verb: Provisioner.Verb
    let parallel: Int
    let wait: Bool

    struct Outcome {
        var session: String
        var result: Provisioner.Result?
        var error: String?
        var ok: Bool { error == nil && (result?.succeeded ?? false) }
    }

    func run(_ sessions: [String], afterSuccess: @escaping @Sendable (String, Provisioner.Result) async throws -> String? = { _, _ in nil }) async -> [Outcome] {
        let provisioner = lab.provisioner()
        Interrupts.installForwarding()
        var outcomes: [String: Outcome] = [:]
        var queue = sessions[...]
        await withTaskGroup(of: Outcome.self) { group in
            func startNext() {
                guard !ChildProcesses.shared.interrupted, let session = queue.popFirst() else { return }
                let inputs: SessionInputs?
                do {
                    inputs = verb == .output ? nil : try SessionInputsBuilder.build(session: session, registry: registry)
                    if verb != .output, verb != .destroy { _ = try lab.sessionConfig(session).warnings.map { Terminal.warning($0) } }
                } catch {
                    let message = (error as? LabFailure)?.message ?? "\(error)"
                    group.addTask { Outcome(session: session, result: nil, error: message) }
                    return
                }
                let verb = self.verb, wait = self.wait
                let gate = ProgressGate(everyChange: Terminal.stderrIsTerminal)
                group.addTask {
                    Terminal.note("[\(session)] \(verb.rawValue): starting")
                    do {
                        let result = try await provisioner.run(verb, session: session, inputs: inputs,
                                                               options: .init(waitForLock: wait),
                                                               onBusy: { Terminal.note("[\(session)] waiting: session is \($0)") },
                                                               onProgress: { if gate.shouldPrint($0) { Terminal.note("[\(session)] \($0.line)") } })
                        if !result.succeeded {
                            let why = result.progress.errors.first.map { ": \($0)" } ?? ""
                            return Outcome(session: session, result: result, error: "terraform \(verb.rawValue) failed\(why) (log: \(lab.display(result.log)))")
                        }
                        if let extra = try await afterSuccess(session, result) { Terminal.note("[\(session)] \(extra)") }
                        return Outcome(session: session, result: result, error: nil)
                    } catch {
                        return Outcome(session: session, result: nil, error: "\(error)")
                    }
                }
            }
            for _ in 0..<max(1, parallel) { startNext() }
            for await outcome in group {
                outcomes[outcome.session] = outcome
                startNext()
            }
        }
        return sessions.compactMap { outcomes[$0] }
    }

    static func printSummary(_ outcomes: [Outcome], lab: Lab) {
        let table = TextTable(header: ["SESSION", "RESULT", "RESOURCES", "TIME", "DETAIL"])
        print(table.render(outcomes.map { o in
            let r = o.result
            let resources = r.map { String($0.progress.done) } ?? "-"
            let time = r.map { String(format: "%.1fs", $0.elapsed) } ?? "-"
            let detail = o.error ?? r.map { ($0.progress.summary ?? "") + " log: " + lab.display($0.log) } ?? ""
            return [o.session, o.ok ? Terminal.green("ok") : Terminal.red("FAILED"), resources, time, detail]
        }))
    }
}

/// Ctrl-C during Terraform runs: forward SIGINT to every child and let them
/// finish (they release their state locks), instead of dying and orphaning them.
enum Interrupts {
    nonisolated(unsafe) private static var source: DispatchSourceSignal?

    static func installForwarding() {
        guard source == nil else { return }
        signal(SIGINT, SIG_IGN)
        let s = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        s.setEventHandler {
            Terminal.warning("interrupted: asking Terraform to stop and waiting for it to release its locks…")
            ChildProcesses.shared.interruptAll()
        }
        s.resume()
        source = s
    }
}

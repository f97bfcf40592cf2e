import Foundation
import LabDemo
import LabWorkflows

/// The demo's closing report: sessions, verification, cost, where things are, what to try next.
struct DemoSummary {
    let run: DemoReport

    func print() {
        let facts = run.facts
        let elapsed = Int(Date().timeIntervalSince(run.started).rounded())
        let lab = run.labDir.path
        var out: [String] = []
        out.append("")
        out.append("labctl demo finished in \(elapsed / 60)m \(elapsed % 60)s. AWS was emulated by moto; the masters were loopback sshd servers.")

        out.append("\nSessions")
        let resources = Dictionary(facts.resources, uniquingKeysWith: { a, _ in a })
        out.append(indent(TextTable(header: ["SESSION", "PARTICIPANTS", "WORKERS/CLUSTER", "INSTANCES", "TERRAFORM RESOURCES"]).render(run.plan.sessions.map { s in
            [s.name, String(s.people.count), String(s.workers), String(resources[s.name]?.instances ?? 0), String(resources[s.name]?.resources ?? 0)]
        })))

        out.append("\nVerification (labctl verify --wait)")
        let rows = run.plan.sessions.flatMap { s in
            (facts.verification[s.name] ?? []).map { v in
                [s.name, v.discreteID, v.host, v.ready ? "yes" : "NO", v.checks["auth"] ?? "-", v.checks["participant-key"] ?? "-",
                 v.checks["cloud-init"] ?? "-", v.checks["kubeadm"] ?? "-", v.nodes]
            }
        }
        out.append(indent(TextTable(header: ["SESSION", "PARTICIPANT", "MASTER", "READY", "SSH", "KEY", "CLOUD-INIT", "KUBEADM", "NODES"]).render(rows)))

        out.append("\nCost estimate, had this run on AWS")
        out.append(indent(facts.cost.trimmingCharacters(in: .whitespacesAndNewlines)))

        let kept = !run.removeLabAtEnd
        out.append("\nFiles\(kept ? "" : " (removed on exit: pass --keep or --dir DIR to keep them)")")
        for s in run.plan.sessions {
            out.append("  sheets \(s.name): \(lab)/participant-access/\(s.name)/index.html")
        }
        if let first = run.firstSheet { out.append("  a sheet:   \(first.path)") }
        out.append("  step logs: \(lab)/.labctl/demo-logs/   Terraform logs: \(lab)/.labctl/logs/<session>/")
        out.append("  database:  \(lab)/.labctl/lab.sqlite   participants' demo keys: \(lab)/participant-keys/")

        if kept {
            out.append("\nNext")
            out.append("  export LABCTL_ROOT=\(lab)")
            out.append("  labctl list; labctl keys list \(run.sessionNames[0]); labctl status")
            out.append("  labctl sheets \(run.sessionNames[0]) --format txt; less \(lab)/participant-access/\(run.sessionNames[0])/*.txt")
            if run.keep {
                out.append("  dashboard: \(facts.intakeURL)/admin (token: \(lab)/.labctl/demo-admin-token)")
                out.append("  emulated AWS: source \(lab)/demo-env.sh, then `labctl destroy \(run.sessionNames.joined(separator: " ")) -y`")
                out.append("  stop the intake service and the emulator: kill $(cut -d' ' -f1 \(lab)/.labctl/demo-pids)")
            }
        } else {
            out.append("\nNext: `labctl demo --keep` to explore the lab, its dashboard and its sheets afterwards;")
            out.append("      a real training starts with `labctl create-config <session>` (see the README).")
        }
        Swift.print(out.joined(separator: "\n"))
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}

import Foundation
import LabCore

/// Turns the view models into the variables the templates see. Every name here is
/// listed in `TemplateVariables` and documented in `mail-templates/README.md`.
public enum TemplateContext {
    /// The session-wide variables plus `participants` (a list); used by the sheets and the overview.
    /// `withSheets` names the participants who got a sheet (`sheet_file` is set for them only); nil means all.
    public static func session(_ session: SheetSession, participants: [SheetParticipant], withSheets: Set<String>? = nil) -> [String: Any] {
        var context = sessionVariables(session)
        context["participants"] = participants.map {
            participant($0, session: session, hasSheet: withSheets?.contains($0.name) ?? true)
        }
        context["participant_count"] = participants.count
        context["ready_count"] = participants.filter(\.ready).count
        return context
    }

    /// The session-wide variables, one participant's variables at the top level, and
    /// `participants` holding just that one: what the mail templates (and their sheet partials) see.
    public static func single(_ session: SheetSession, _ p: SheetParticipant) -> [String: Any] {
        var context = Self.session(session, participants: [p])
        for (key, value) in participant(p, session: session) { context[key] = value }
        return context
    }

    // Absent values are left out rather than set to "": an empty string would still
    // open a `{{#name}}` section, a missing name does not.

    static func sessionVariables(_ s: SheetSession) -> [String: Any] {
        var context: [String: Any] = [
            "session": s.name,
            "has_trainer": s.trainerName != nil || s.trainerEmail != nil,
            "kubernetes_version": s.kubernetesVersion,
            "generated_at": formatted(s.generatedAt),
        ]
        context["session_end"] = s.endTime
        context["switch_off_at"] = s.switchOffTime
        context["trainer_name"] = s.trainerName
        context["trainer_email"] = s.trainerEmail
        return context
    }

    static func participant(_ p: SheetParticipant, session s: SheetSession, hasSheet: Bool = true) -> [String: Any] {
        let workers = p.workerPublicIPs.enumerated().map { i, ip in
            ["worker_name": "worker-\(i + 1)", "worker_ip": ip] as [String: Any]
        }
        let hostKeys = p.hostKeys.map { key in
            [
                "key_type": key.type,
                "fingerprint": key.fingerprint,
                "known_hosts_line": p.masterPublicIP.map { key.knownHostsLine(host: $0) } ?? "",
            ] as [String: Any]
        }
        let checks = p.checks.map { c in
            var item: [String: Any] = ["check": c.name, "status": c.status, "passed": c.passed]
            if !c.detail.isEmpty { item["detail"] = c.detail }
            return item
        }
        let alias = p.masterAlias(session: s.name)
        let firstSteps: [[String: Any]] = [
            ["command": "ssh \(alias)", "explanation": "log in to your master (uses the ~/.ssh/config block)"],
            ["command": "kubectl get nodes", "explanation": "expect \(p.expectedNodes) node(s), all Ready"],
            ["command": "kubectl get pods -A", "explanation": "the system pods, all Running"],
        ]
        var context: [String: Any] = [
            "name": p.name,
            "display_name": p.displayName,
            "discrete_id": p.discreteID,
            "master_host": alias,
            "workers": workers,
            "has_workers": !workers.isEmpty,
            "host_keys": hostKeys,
            "has_host_keys": !hostKeys.isEmpty,
            "pod_cidr": p.podCIDR,
            "ready": p.ready,
            "checks": checks,
            "has_checks": !checks.isEmpty,
            "nodes_expected": String(p.expectedNodes),
            "first_steps": firstSteps,
        ]
        context["sheet_file"] = hasSheet ? "\(p.name).html" : nil
        context["email"] = p.email
        context["master_ip"] = p.masterPublicIP
        context["worker_ips"] = workers.isEmpty ? nil : p.workerPublicIPs.joined(separator: ", ")
        context["ssh_command"] = p.sshCommand
        context["ssh_config"] = p.sshConfig(session: s.name)
        context["known_hosts"] = p.knownHostsLines.isEmpty ? nil : p.knownHostsLines.joined(separator: "\n")
        context["nodes_ready"] = p.nodesReady.map(String.init)
        return context
    }

    /// `2026-11-28 09:00 UTC`: sheets are read in many time zones, so UTC, said so.
    static func formatted(_ date: Date) -> String { UTCDate.string(date, format: "yyyy-MM-dd HH:mm 'UTC'") }
}

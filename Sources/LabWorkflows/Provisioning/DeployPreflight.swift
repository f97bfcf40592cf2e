import LabCore
import LabProvision
import LabStore

/// What must hold before any Terraform run of `plan` or `apply` starts: readable
/// settings, someone to deploy for, and (for apply) SSH not open to the world unless
/// the trainer said so, which goes into the audit log.
public enum DeployPreflight {
    /// Refuses sessions whose config is broken or that have nobody to deploy for.
    public static func requireDeployable(_ sessions: [String], files: LabFiles, registry: Registry) throws {
        for s in sessions {
            _ = try files.sessionConfig(s)
            if try registry.participants(in: s).isEmpty { throw WorkflowError.usage(ProvisionError.noParticipants(session: s).description) }
        }
    }

    /// Applies `SSHAccessPolicy` to every session: refuses (usage error) or audits an accepted open range.
    public static func requireSSHAccess(_ sessions: [String], sshFromAnywhere: Bool, files: LabFiles, registry: Registry) throws {
        for s in sessions {
            let config = try files.sessionConfig(s)
            let decision: SSHAccessPolicy.Decision
            do {
                decision = try SSHAccessPolicy.decide(session: s, file: files.display(files.sessionFile(s)), cidrs: config.allowedSSHCIDRs,
                                                      sshFromAnywhere: sshFromAnywhere)
            } catch { throw WorkflowError.usage(error.description) }
            if case .openAccepted(let ranges) = decision {
                try registry.recordAudit(session: s, action: "ssh-from-anywhere",
                                         detail: "apply accepted allowed_ssh_cidrs \(ranges.joined(separator: ", ")) (--ssh-from-anywhere)")
            }
        }
    }
}

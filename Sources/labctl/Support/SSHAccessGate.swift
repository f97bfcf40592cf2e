import LabCore
import LabProvision
import LabStore

extension Lab {
    /// Applies SSHAccessPolicy to every session before anything is deployed:
    /// refuses (usage error, exit 2) or audits an accepted open range.
    func requireSSHAccess(_ sessions: [String], sshFromAnywhere: Bool, registry: Registry) throws {
        for s in sessions {
            let config = try sessionConfig(s)
            let decision: SSHAccessPolicy.Decision
            do {
                decision = try SSHAccessPolicy.decide(session: s, file: display(sessionFile(s)), cidrs: config.allowedSSHCIDRs,
                                                      sshFromAnywhere: sshFromAnywhere)
            } catch { throw LabFailure.usage(error.description) }
            if case .openAccepted(let ranges) = decision {
                try registry.recordAudit(session: s, action: "ssh-from-anywhere",
                                         detail: "apply accepted allowed_ssh_cidrs \(ranges.joined(separator: ", ")) (--ssh-from-anywhere)")
            }
        }
    }
}

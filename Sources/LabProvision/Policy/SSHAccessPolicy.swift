import LabCore

/// Whether `labctl apply` may deploy a session with the SSH sources its file
/// names: never without a range (the nodes would be unreachable, and the old
/// habit was 0.0.0.0/0), and open to the whole internet only when the trainer
/// said so explicitly (`--ssh-from-anywhere`), which the caller audits.
public enum SSHAccessPolicy {
    public enum Decision: Equatable, Sendable {
        /// Only the listed ranges; nothing to record.
        case restricted([String])
        /// Open to everyone, accepted with --ssh-from-anywhere: record it in the audit log.
        case openAccepted([String])
    }

    public static func decide(session: String, file: String, cidrs: [String], sshFromAnywhere: Bool) throws(SSHAccessRefusal) -> Decision {
        guard !cidrs.isEmpty else { throw .noRange(session: session, file: file) }
        let open = SSHSources.everyone(in: cidrs)
        guard !open.isEmpty else { return .restricted(cidrs) }
        guard sshFromAnywhere else { throw .openToEveryone(session: session, file: file, ranges: open) }
        return .openAccepted(open)
    }
}

/// Why a session may not be applied as its SSH sources stand; the message names
/// the session, the reason and the next step.
public enum SSHAccessRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    case noRange(session: String, file: String)
    case openToEveryone(session: String, file: String, ranges: [String])

    public var description: String {
        switch self {
        case let .noRange(s, file):
            return "session \(s) has no SSH source range (allowed_ssh_cidrs in \(file) is empty or missing), so nobody could reach its nodes. "
                + "Add the training room's public range there, e.g. allowed_ssh_cidrs = [\"203.0.113.0/24\"] "
                + "(new sessions: `labctl create-config \(s) --ssh-from CIDR --force`), then apply again."
        case let .openToEveryone(s, file, ranges):
            return "session \(s) opens SSH to the whole internet (\(ranges.joined(separator: ", ")) in allowed_ssh_cidrs of \(file)). "
                + "Narrow it to the training room's public range, or, if that is really intended, "
                + "run `labctl apply \(s) --ssh-from-anywhere` (recorded in the audit log)."
        }
    }
}

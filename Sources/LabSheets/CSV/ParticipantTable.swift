/// The trainer's table of a session: one row per participant, for `participants-<session>.csv`.
public enum ParticipantTable {
    public static let header = [
        "name", "display_name", "email", "discrete_id", "master_ip", "worker_ips", "pod_cidr",
        "ssh_command", "host_key_fingerprint", "ready",
    ]

    /// Worker IPs and several fingerprints are joined with a space (one cell each).
    public static func rows(_ participants: [SheetParticipant]) -> [[String]] {
        participants.map { p in
            [
                p.name, p.displayName, p.email ?? "", p.discreteID, p.masterPublicIP ?? "",
                p.workerPublicIPs.joined(separator: " "), p.podCIDR, p.sshCommand ?? "",
                p.hostKeys.map(\.fingerprint).joined(separator: " "), p.ready ? "yes" : "no",
            ]
        }
    }

    public static func csv(_ participants: [SheetParticipant]) -> String {
        CSVWriter.render(header: header, rows: rows(participants))
    }
}

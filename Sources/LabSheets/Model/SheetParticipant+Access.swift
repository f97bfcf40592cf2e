/// How a participant reaches their master: the ssh command, the `~/.ssh/config`
/// block and the `known_hosts` lines, derived from the recorded IP and pinned keys.
extension SheetParticipant {
    /// The login user of the lab's Ubuntu images.
    public static let loginUser = "ubuntu"
    /// Where participants keep the private half of the key they sent.
    public static let identityFile = "~/.ssh/id_ed25519"

    /// `<session>-master`: the `Host` alias of the ssh config block.
    public func masterAlias(session: String) -> String { "\(session)-master" }

    /// `ssh -i ~/.ssh/id_ed25519 ubuntu@IP`, or nil without a master IP.
    public var sshCommand: String? {
        masterPublicIP.map { "ssh -i \(Self.identityFile) \(Self.loginUser)@\($0)" }
    }

    /// A `~/.ssh/config` block that logs in with `ssh <session>-master` and refuses
    /// any host key that is not in `known_hosts` (no trust on first use).
    public func sshConfig(session: String) -> String? {
        guard let ip = masterPublicIP else { return nil }
        return """
            Host \(masterAlias(session: session))
                HostName \(ip)
                User \(Self.loginUser)
                IdentityFile \(Self.identityFile)
                IdentitiesOnly yes
                StrictHostKeyChecking yes
            """
    }

    /// One `known_hosts` line per pinned host key of the master.
    public var knownHostsLines: [String] {
        guard let ip = masterPublicIP else { return [] }
        return hostKeys.map { $0.knownHostsLine(host: ip) }
    }

    /// Nodes the cluster should have: 1 master plus the workers.
    public var expectedNodes: Int { nodesExpected ?? (1 + workerPublicIPs.count) }
}

/// Source ranges for SSH (`allowed_ssh_cidrs`, `create-config --ssh-from`):
/// well-formed CIDRs, and which of them open SSH to the whole internet.
public enum SSHSources {
    /// `0.0.0.0/0` and `::/0`, however they are spelt (`0.0.0.0/0`, `::0/0`).
    public static func everyone(in cidrs: [String]) -> [String] {
        cidrs.filter { cidr in
            let parts = cidr.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[1] == "0" else { return false }
            return true
        }
    }

    public static func opensToEveryone(_ cidrs: [String]) -> Bool { !everyone(in: cidrs).isEmpty }

    /// An IPv4 CIDR without host bits (`203.0.113.0/24`) or an IPv6 CIDR (`2001:db8::/32`).
    public static func isWellFormed(_ cidr: String) -> Bool {
        if IPv4CIDR(cidr) != nil { return true }
        let parts = cidr.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]), (0...128).contains(prefix), parts[0].contains(":") else { return false }
        return parts[0].allSatisfy { $0 == ":" || $0.isHexDigit } && parts[0].count <= 39
    }

    /// A suggestion found without the network: the address this shell's SSH
    /// session comes from (`SSH_CONNECTION`), when it is a public IPv4 address.
    public static func suggestion(environment: [String: String]) -> String? {
        guard let client = environment["SSH_CONNECTION"]?.split(separator: " ").first.map(String.init),
              let cidr = IPv4CIDR("\(client)/32"), !isPrivateOrLocal(cidr) else { return nil }
        return cidr.description
    }

    /// Loopback, RFC 1918, link-local, CGNAT and documentation ranges: never a room's public address.
    static func isPrivateOrLocal(_ cidr: IPv4CIDR) -> Bool {
        ["127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10", "0.0.0.0/8"]
            .compactMap { IPv4CIDR($0) }.contains { $0.contains(cidr) }
    }
}

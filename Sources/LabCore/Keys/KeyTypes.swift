/// OpenSSH key type names, grouped by how labctl answers them.
enum KeyTypes {
    static let securityKeys: Set<String> = [
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    ]
    static let otherPlain: Set<String> = [
        "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "ssh-xmss@openssh.com",
    ]

    static func isCertificate(_ type: String) -> Bool { type.hasSuffix("-cert-v01@openssh.com") }

    /// True for any token that names an SSH public key algorithm.
    static func isKeyType(_ token: Substring) -> Bool {
        let t = String(token)
        return t == SSHPublicKey.ed25519Type || securityKeys.contains(t) || otherPlain.contains(t)
            || isCertificate(t)
    }
}

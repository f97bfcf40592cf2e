import LabCore

extension HostKey {
    /// The key type's name for libssh2's `LIBSSH2_HOSTKEY_TYPE_*` value.
    static func typeName(libssh2Type: Int32) -> String {
        switch libssh2Type {
        case 1: return "ssh-rsa"
        case 2: return "ssh-dss"
        case 3: return "ecdsa-sha2-nistp256"
        case 4: return "ecdsa-sha2-nistp384"
        case 5: return "ecdsa-sha2-nistp521"
        case 6: return "ssh-ed25519"
        default: return "unknown"
        }
    }
}

import CLibSSH2

/// The process-wide libssh2 initialisation: `libssh2_init` runs once, on first use.
enum LibSSH2 {
    private static let initialised: Bool = libssh2_init(0) == 0

    /// Call before creating any session; cheap after the first call.
    static func ensureInitialised() throws(SSHError) {
        guard initialised else { throw SSHError(.library, "libssh2_init failed (is libssh2 built with a crypto backend?)") }
    }
}

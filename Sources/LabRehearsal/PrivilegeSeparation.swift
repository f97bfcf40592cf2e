import Foundation

/// What sshd needs on disk before it starts.
///
/// sshd started as root refuses to run without its privilege-separation directory
/// (`Missing privilege separation directory: /run/sshd`). Debian's package creates it
/// only through systemd-tmpfiles, so a container or CI machine without systemd has
/// none after `apt-get install openssh-server`. A non-root sshd does not chroot and
/// does not need it.
public enum PrivilegeSeparation {
    /// Debian's and Ubuntu's compiled-in path.
    public static let debianDirectory = "/run/sshd"

    /// Creates `/run/sshd` (root-owned, 0755) when running as root and it is missing.
    public static func prepare() throws {
        guard geteuid() == 0 else { return }
        try ensureDirectory(debianDirectory)
    }

    /// When sshd's `log` says which privilege-separation directory it misses, creates it
    /// (as root) and returns true, so the caller can start sshd again.
    @discardableResult
    public static func prepare(fromLog log: String) throws -> Bool {
        guard geteuid() == 0, let path = missingDirectory(in: log),
              !FileManager.default.fileExists(atPath: path) else { return false }
        try ensureDirectory(path)
        return true
    }

    /// The path in sshd's "Missing privilege separation directory: PATH" line, if any.
    public static func missingDirectory(in log: String) -> String? {
        let marker = "Missing privilege separation directory: "
        guard let range = log.range(of: marker) else { return nil }
        let path = log[range.upperBound...].prefix { !$0.isWhitespace }
        return path.hasPrefix("/") ? String(path) : nil
    }

    private static func ensureDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o755, .ownerAccountID: 0])
        } catch {
            throw RehearsalError("sshd needs its privilege-separation directory \(path), which could not be created (\(error.localizedDescription)); create it as root: mkdir -p -m 0755 \(path)")
        }
    }
}

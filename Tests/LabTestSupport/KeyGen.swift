import Foundation

/// Real keys from the real `ssh-keygen`, made at test time.
public enum KeyGen {
    public struct Pair: Sendable {
        public let privateKeyPath: String
        public let publicKeyPath: String
        public var publicLine: String { (try? String(contentsOfFile: publicKeyPath, encoding: .utf8))?.trimmingCharacters(in: .newlines) ?? "" }
    }

    /// Generates a key pair with `ssh-keygen -t type` in `directory`.
    public static func generate(in directory: URL, name: String, type: String = "ed25519", comment: String = "") throws -> Pair {
        let path = directory.appendingPathComponent(name).path
        var args = ["-q", "-t", type, "-N", "", "-C", comment, "-f", path]
        if type == "rsa" { args += ["-b", "2048"] }
        let r = try Shell.run("ssh-keygen", args)
        guard r.status == 0 else { throw TestSupportError("ssh-keygen failed: \(r.stderr)") }
        return Pair(privateKeyPath: path, publicKeyPath: path + ".pub")
    }

    /// `ssh-keygen -l -f path`: the SHA256 fingerprint, or nil when ssh-keygen refuses the file.
    public static func fingerprint(ofFile path: String) throws -> String? {
        let r = try Shell.run("ssh-keygen", ["-l", "-f", path])
        guard r.status == 0 else { return nil }
        return r.stdout.split(separator: " ").dropFirst().first.map(String.init)
    }
}

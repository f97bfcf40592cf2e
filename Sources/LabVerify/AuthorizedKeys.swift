import Foundation
import LabCore

/// Finds keys in an `authorized_keys` file by fingerprint, options prefixes allowed.
enum AuthorizedKeys {
    /// The SHA256 fingerprints of every key line.
    static func fingerprints(in text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
            let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            // The key type is the first field that looks like one; the blob follows it.
            guard let i = fields.firstIndex(where: { $0.hasPrefix("ssh-") || $0.hasPrefix("ecdsa-") || $0.hasPrefix("sk-") }),
                  i + 1 < fields.count,
                  let blob = Data(base64Encoded: String(fields[i + 1])) else { return nil }
            return Fingerprint.sha256(Array(blob))
        }
    }

    static func assess(_ output: RemoteProbe.Output?, expected fingerprint: String, user: String) -> CheckResult {
        guard let output else { return .fail("no answer from `head ~/.ssh/authorized_keys`") }
        guard output.exitStatus == 0 else {
            return .fail("cannot read ~\(user)/.ssh/authorized_keys: \(CloudInitStatus.firstLine(output.stderr))")
        }
        // `head` sent one byte more than the limit when the file is larger.
        guard output.stdout.utf8.count <= RemoteProbe.authorizedKeysLimit else {
            return .fail("~\(user)/.ssh/authorized_keys is larger than \(RemoteProbe.authorizedKeysLimit / (1024 * 1024)) MiB, "
                         + "far more than key lines take (sshd reads all of it at every login); labctl read only its start. "
                         + "Log in as \(user) and cut it down to its key lines (`ssh-keygen -lf ~/.ssh/authorized_keys` lists them), then verify again.")
        }
        let found = fingerprints(in: output.stdout)
        if found.contains(fingerprint) { return .pass("\(fingerprint) in ~\(user)/.ssh/authorized_keys") }
        return .fail("participant key \(fingerprint) is not in ~\(user)/.ssh/authorized_keys (\(found.count) other key\(found.count == 1 ? "" : "s") there)")
    }
}

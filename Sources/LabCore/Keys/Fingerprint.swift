import Crypto
import Foundation

extension SSHPublicKey {
    /// `SHA256:` and the unpadded base64 digest of the blob, exactly as `ssh-keygen -l` prints it.
    public var fingerprint: String { Fingerprint.sha256(blob) }

    /// The legacy `MD5:aa:bb:…` form (`ssh-keygen -l -E md5`).
    public var md5Fingerprint: String { Fingerprint.md5(blob) }
}

/// Fingerprints of SSH key blobs in the text forms `ssh-keygen -l` uses.
public enum Fingerprint {
    public static func sha256(_ blob: [UInt8]) -> String {
        let digest = Data(SHA256.hash(data: blob)).base64EncodedString()
        return "SHA256:" + digest.replacingOccurrences(of: "=", with: "")
    }

    public static func md5(_ blob: [UInt8]) -> String {
        let hex = Insecure.MD5.hash(data: blob).map { String(format: "%02x", $0) }
        return "MD5:" + hex.joined(separator: ":")
    }
}

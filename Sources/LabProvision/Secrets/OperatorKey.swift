import Crypto
import Foundation
import LabCore

/// The session's operator key: an ed25519 pair labctl generates once per
/// session, installed on every node next to the participant's key, used by
/// `labctl verify` to log in. The private half lives only in SQLite (0600).
public struct OperatorKey: Sendable {
    /// OpenSSH private key file text (`-----BEGIN OPENSSH PRIVATE KEY-----`), unencrypted.
    public let privateKeyPEM: String
    /// `ssh-ed25519 AAAA… comment`.
    public let publicKeyLine: String

    public static func generate(comment: String) -> OperatorKey {
        let key = Curve25519.Signing.PrivateKey()
        let publicBytes = Array(key.publicKey.rawRepresentation)
        let type = Array(SSHPublicKey.ed25519Type.utf8)
        let publicBlob = type.sshString() + publicBytes.sshString()

        // openssh-key-v1: no cipher, no KDF, one key; the private section is
        // check-int twice, the key, and 1,2,3… padding to the 8-byte block size.
        let check = UInt32.random(in: .min ... .max)
        var section = uint32(check) + uint32(check)
        section += type.sshString() + publicBytes.sshString()
        section += (Array(key.rawRepresentation) + publicBytes).sshString()
        section += Array(comment.utf8).sshString()
        var pad: UInt8 = 1
        while section.count % 8 != 0 { section.append(pad); pad += 1 }

        var blob = Array("openssh-key-v1".utf8) + [0]
        blob += Array("none".utf8).sshString() + Array("none".utf8).sshString() + [UInt8]().sshString()
        blob += uint32(1) + publicBlob.sshString() + section.sshString()

        let body = Data(blob).base64EncodedString()
        let lines = stride(from: 0, to: body.count, by: 70).map { i -> Substring in
            let start = body.index(body.startIndex, offsetBy: i)
            return body[start..<body.index(start, offsetBy: min(70, body.count - i))]
        }
        let pem = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + lines.joined(separator: "\n") + "\n-----END OPENSSH PRIVATE KEY-----\n"
        let line = "\(SSHPublicKey.ed25519Type) \(Data(publicBlob).base64EncodedString()) \(comment)"
        return OperatorKey(privateKeyPEM: pem, publicKeyLine: line)
    }

    private static func uint32(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)]
    }
}

import Crypto
import Foundation
import LabCore
import SwiftASN1
import X509

/// A participant cluster's own certificate authority and kubeadm join token,
/// pre-generated so workers join securely (token + CA hash) without any SSH
/// between nodes. One per cluster: a participant holding their cluster's CA
/// key can do nothing with anyone else's cluster.
public struct ClusterCA: Sendable {
    public let certificatePEM: String
    /// PKCS#8 PEM of the P-256 key (kubeadm reads it as /etc/kubernetes/pki/ca.key).
    public let privateKeyPEM: String
    /// `sha256:<hex>` of the CA's SubjectPublicKeyInfo: `--discovery-token-ca-cert-hash`.
    public let certificateHash: String
    /// `[a-z0-9]{6}.[a-z0-9]{16}`, kubeadm's bootstrap token format.
    public let joinToken: String

    public static func generate(clusterName: String, validFor years: Int = 10, now: Date = Date()) throws -> ClusterCA {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            CommonName("kubernetes")
            OrganizationalUnitName(clusterName)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-300),
            notValidAfter: now.addingTimeInterval(Double(years) * 365 * 86_400),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true, keyCertSign: true))
                SubjectKeyIdentifier(hash: Certificate.PublicKey(key.publicKey))
            },
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
        let spki = key.publicKey.derRepresentation
        let hash = SHA256.hash(data: spki).map { String(format: "%02x", $0) }.joined()
        return ClusterCA(certificatePEM: try certificate.serializeAsPEM().pemString + "\n",
                         privateKeyPEM: key.pemRepresentation + "\n",
                         certificateHash: "sha256:" + hash,
                         joinToken: randomToken(6) + "." + randomToken(16))
    }

    /// What the registry stores and Terraform gets: the CA, its key and hash, the token.
    public var secrets: ClusterSecrets {
        ClusterSecrets(joinToken: joinToken, caCertPEM: certificatePEM, caKeyPEM: privateKeyPEM, caCertHash: certificateHash)
    }

    /// Lower-case letters and digits from the system's CSPRNG.
    static func randomToken(_ length: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var rng = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int(rng.next(upperBound: UInt64(alphabet.count)))] })
    }
}

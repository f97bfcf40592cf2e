/// One cluster's kubeadm secrets: its own CA and join token (isolation), generated
/// once by LabProvision's `ClusterCA`, stored by LabStore (per participant, per spare)
/// and handed to Terraform in the session's var file.
public struct ClusterSecrets: Codable, Equatable, Sendable {
    /// `[a-z0-9]{6}.[a-z0-9]{16}`, kubeadm's bootstrap token format.
    public var joinToken: String
    public var caCertPEM: String
    /// PKCS#8 PEM of the CA key (kubeadm reads it as /etc/kubernetes/pki/ca.key).
    public var caKeyPEM: String
    /// `sha256:<hex>` of the CA's SubjectPublicKeyInfo, for `--discovery-token-ca-cert-hash`.
    public var caCertHash: String

    public init(joinToken: String, caCertPEM: String, caKeyPEM: String, caCertHash: String) {
        self.joinToken = joinToken
        self.caCertPEM = caCertPEM
        self.caKeyPEM = caKeyPEM
        self.caCertHash = caCertHash
    }
}

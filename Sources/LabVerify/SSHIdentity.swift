/// The private key the verifier logs in with: the session's operator key
/// (OpenSSH PEM text from the registry) or a key file (`--identity FILE`).
public enum SSHIdentity: Sendable {
    case privateKey(pem: String)
    case file(path: String)
}

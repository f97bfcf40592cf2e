/// Why a mail was not delivered; each message names the server or command, the reason and the next step.
public enum SMTPError: Error, Equatable, Sendable, CustomStringConvertible {
    case badEndpoint(String)
    case connect(endpoint: String, reason: String)
    case connection(endpoint: String, reason: String)
    case rejected(command: String, reply: SMTPReply)
    case authNotOffered(endpoint: String)
    case plaintextAuthRefused(endpoint: String)
    case startTLSNotOffered(endpoint: String)
    case certificateNotVerified(endpoint: String, reason: String)
    case tls(endpoint: String, mode: String, reason: String)
    case badCAFile(path: String, reason: String)
    case tlsSetup(reason: String)

    public var description: String {
        switch self {
        case .badEndpoint(let text):
            return "--smtp '\(text)' is not HOST:PORT (e.g. 127.0.0.1:25, mail.example.org:587, [::1]:25)."
        case let .connect(endpoint, reason):
            return "cannot connect to the SMTP server \(endpoint): \(reason); check --smtp and that the server runs."
        case let .connection(endpoint, reason):
            return "the SMTP conversation with \(endpoint) broke off: \(reason); re-run to send what is left."
        case let .rejected(command, reply):
            return "the server answered \(command) with \(reply.code) \(reply.text)"
        case .authNotOffered(let endpoint):
            return "\(endpoint) offers no AUTH PLAIN or LOGIN; drop --user, or use a server that accepts a login."
        case .plaintextAuthRefused(let endpoint):
            return "labctl will not send a password unencrypted to \(endpoint); add --starttls (port 587) or --smtps (port 465), as your provider says. Without TLS it only logs in to a relay on this machine (localhost, 127.0.0.1, ::1)."
        case .startTLSNotOffered(let endpoint):
            return "\(endpoint) does not offer STARTTLS, so nothing was sent (labctl never falls back to sending in clear). Check the port (587 for STARTTLS), use --smtps if the server speaks TLS from the start (port 465), or drop --starttls only for a relay on this machine."
        case let .certificateNotVerified(endpoint, reason):
            return "the certificate of the SMTP server \(endpoint) does not verify: \(reason). Nothing was sent. If the server's certificate comes from a private CA, give that CA with --ca-file FILE (PEM); if it is issued for another name, use that name in --smtp."
        case let .tls(endpoint, mode, reason):
            return "TLS with the SMTP server \(endpoint) failed (\(mode)): \(reason). Check the port and mode: --starttls on 587, --smtps on 465."
        case let .badCAFile(path, reason):
            return "cannot use --ca-file \(path): \(reason); give a PEM file with the CA certificate(s) (-----BEGIN CERTIFICATE-----)."
        case .tlsSetup(let reason):
            return "cannot set up TLS for SMTP: \(reason); check the system's CA certificates (ca-certificates) or give --ca-file."
        }
    }

    /// True when the server itself cannot be used (its certificate, its TLS): every
    /// further mail would fail the same way, so a batch stops at the first.
    public var endsTheBatch: Bool {
        switch self {
        case .startTLSNotOffered, .certificateNotVerified, .tls, .badCAFile, .tlsSetup: return true
        default: return false
        }
    }
}

/// Why a mail was not delivered; each message names the server or command, the reason and the next step.
public enum SMTPError: Error, Equatable, Sendable, CustomStringConvertible {
    case badEndpoint(String)
    case connect(endpoint: String, reason: String)
    case connection(endpoint: String, reason: String)
    case rejected(command: String, reply: SMTPReply)
    case authNotOffered(endpoint: String)
    case plaintextAuthRefused(endpoint: String)

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
            return "labctl will not send a password unencrypted to \(endpoint); it only logs in to a relay on this machine (localhost, 127.0.0.1, ::1). Run a local relay that does TLS, or send without --user."
        }
    }
}

import Foundation

/// Sends mails to one SMTP server, one connection per mail, so that one refused
/// recipient or a dropped connection costs only that mail.
public struct SMTPClient: Sendable {
    public let endpoint: SMTPEndpoint
    /// STARTTLS or implicit TLS; nil for plain SMTP (a relay on this machine).
    public let tls: SMTPTLS?
    public let credentials: SMTPCredentials?
    /// The name this client gives in EHLO.
    public let heloName: String
    /// Seconds to wait for a connection, the TLS handshake, or a reply.
    public let timeout: Double

    /// Refuses a login without TLS to a server off this machine: the password would travel in clear.
    public init(endpoint: SMTPEndpoint, tls: SMTPTLS? = nil, credentials: SMTPCredentials? = nil,
                heloName: String = SMTPClient.localHostName(), timeout: Double = 30) throws(SMTPError) {
        if credentials != nil && tls == nil && !endpoint.isLoopback { throw .plaintextAuthRefused(endpoint: endpoint.description) }
        self.endpoint = endpoint
        self.tls = tls
        self.credentials = credentials
        self.heloName = heloName
        self.timeout = timeout
    }

    /// Delivers `message` to its `To` address; returns the server's acceptance.
    public func send(_ message: MailMessage) throws(SMTPError) -> SMTPReply {
        let connection = try SMTPConnection(endpoint: endpoint, implicitTLS: tls?.mode == .implicit ? tls : nil, timeout: timeout)
        defer { connection.close() }
        try connection.hello(name: heloName)
        if let tls, tls.mode == .startTLS {
            try connection.startTLS(tls)
            try connection.hello(name: heloName)
        }
        if let credentials { try connection.authenticate(credentials) }
        let reply = try connection.send(from: message.from.address, to: message.to.address, data: message.rendered)
        connection.quit()
        return reply
    }

    public static func localHostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        let name = String(cString: buffer)
        return name.isEmpty ? "localhost" : name
    }
}

import Foundation

/// Sends mails to one SMTP server, one connection per mail, so that one refused
/// recipient or a dropped connection costs only that mail.
public struct SMTPClient: Sendable {
    public let endpoint: SMTPEndpoint
    public let credentials: SMTPCredentials?
    /// The name this client gives in EHLO.
    public let heloName: String
    /// Seconds to wait for a connection or a reply.
    public let timeout: Double

    /// Refuses a login to a server off this machine: without TLS the password would travel in clear.
    public init(endpoint: SMTPEndpoint, credentials: SMTPCredentials? = nil, heloName: String = SMTPClient.localHostName(),
                timeout: Double = 30) throws(SMTPError) {
        if credentials != nil && !endpoint.isLoopback { throw .plaintextAuthRefused(endpoint: endpoint.description) }
        self.endpoint = endpoint
        self.credentials = credentials
        self.heloName = heloName
        self.timeout = timeout
    }

    /// Delivers `message` to its `To` address; returns the server's acceptance.
    public func send(_ message: MailMessage) throws(SMTPError) -> SMTPReply {
        let connection = try SMTPConnection(endpoint: endpoint, timeout: timeout)
        defer { connection.close() }
        try connection.hello(name: heloName)
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

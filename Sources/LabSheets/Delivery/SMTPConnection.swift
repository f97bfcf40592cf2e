import Foundation

/// One SMTP conversation (RFC 5321, STARTTLS per RFC 3207): replies read line by line over
/// an `SMTPChannel`, every read and write bounded by a timeout. The protocol is written by
/// hand (no package on this machine offers an SMTP client, and SMTP is a short protocol);
/// the bytes and TLS are NIO's and NIOSSL's.
final class SMTPConnection {
    let endpoint: SMTPEndpoint
    private let channel: SMTPChannel
    private var buffer: [UInt8] = []
    /// ESMTP extensions from the EHLO reply, upper-cased (`AUTH PLAIN LOGIN`, `8BITMIME`, …).
    private(set) var extensions: [String] = []

    /// Connects (with implicit TLS: and verifies the certificate) and reads the greeting (220).
    init(endpoint: SMTPEndpoint, implicitTLS: SMTPTLS?, timeout: Double) throws(SMTPError) {
        self.endpoint = endpoint
        channel = try SMTPChannel(endpoint: endpoint, implicitTLS: implicitTLS, timeout: timeout)
        let greeting = try readReply()
        guard greeting.code == 220 else {
            close()
            throw .rejected(command: "the connection (greeting)", reply: greeting)
        }
    }

    func close() { channel.close() }

    /// EHLO, falling back to HELO for servers without ESMTP.
    func hello(name: String) throws(SMTPError) {
        let reply = try command("EHLO \(name)")
        if reply.code == 250 {
            extensions = reply.lines.dropFirst().map { $0.uppercased() }
            return
        }
        try expect(try command("HELO \(name)"), 250, for: "HELO")
    }

    /// STARTTLS, refused unless the server offers it: never a silent fall back to plain text.
    /// The caller says EHLO again afterwards; what the server said before TLS is forgotten.
    func startTLS(_ tls: SMTPTLS) throws(SMTPError) {
        guard extensions.contains("STARTTLS") else { throw .startTLSNotOffered(endpoint: endpoint.description) }
        try expect(try command("STARTTLS"), 220, for: "STARTTLS")
        guard buffer.isEmpty else {
            throw .tls(endpoint: endpoint.description, mode: tls.mode.rawValue, reason: "the server sent data before the TLS handshake")
        }
        try channel.startTLS(tls)
        extensions = []
    }

    /// AUTH PLAIN when offered, else AUTH LOGIN. The password is only ever written to the socket.
    func authenticate(_ credentials: SMTPCredentials) throws(SMTPError) {
        let mechanisms = Set(extensions.filter { $0.hasPrefix("AUTH ") || $0.hasPrefix("AUTH=") }
            .flatMap { $0.dropFirst(5).split(separator: " ").map(String.init) })
        if mechanisms.contains("PLAIN") {
            let token = Data("\0\(credentials.user)\0\(credentials.password)".utf8).base64EncodedString()
            try expect(try command("AUTH PLAIN \(token)"), 235, for: "AUTH PLAIN")
        } else if mechanisms.contains("LOGIN") {
            try expect(try command("AUTH LOGIN"), 334, for: "AUTH LOGIN")
            try expect(try command(Data(credentials.user.utf8).base64EncodedString()), 334, for: "AUTH LOGIN (user name)")
            try expect(try command(Data(credentials.password.utf8).base64EncodedString()), 235, for: "AUTH LOGIN (password)")
        } else {
            throw .authNotOffered(endpoint: endpoint.description)
        }
    }

    /// MAIL FROM, RCPT TO, DATA with dot-stuffing. Returns the server's acceptance (250).
    func send(from: String, to: String, data: String) throws(SMTPError) -> SMTPReply {
        try expect(try command("MAIL FROM:<\(from)>"), 250, for: "MAIL FROM:<\(from)>")
        let rcpt = try command("RCPT TO:<\(to)>")
        guard rcpt.code == 250 || rcpt.code == 251 else { throw .rejected(command: "RCPT TO:<\(to)>", reply: rcpt) }
        try expect(try command("DATA"), 354, for: "DATA")
        let lines = data.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        var body = lines.map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
        if !body.hasSuffix("\r\n") { body += "\r\n" }
        try write(body + ".\r\n")
        let accepted = try readReply()
        try expect(accepted, 250, for: "the message (end of DATA)")
        return accepted
    }

    /// QUIT, ignoring what the server says: the mail is already accepted.
    func quit() {
        _ = try? command("QUIT")
        close()
    }

    // MARK: Wire

    func command(_ line: String) throws(SMTPError) -> SMTPReply {
        try write(line + "\r\n")
        return try readReply()
    }

    func expect(_ reply: SMTPReply, _ code: Int, for command: String) throws(SMTPError) {
        guard reply.code == code else { throw .rejected(command: command, reply: reply) }
    }

    private func write(_ text: String) throws(SMTPError) {
        try channel.write(Array(text.utf8))
    }

    /// Reads `code-text` lines up to the last `code text` line.
    func readReply() throws(SMTPError) -> SMTPReply {
        var lines: [String] = []
        while true {
            let line = try readLine()
            guard line.count >= 3, let code = Int(line.prefix(3)) else {
                throw .connection(endpoint: endpoint.description, reason: "not an SMTP reply: \(line.prefix(80))")
            }
            let separator = line.dropFirst(3).first
            lines.append(String(line.dropFirst(4)))
            if separator != "-" { return SMTPReply(code: code, lines: lines) }
        }
    }

    private func readLine() throws(SMTPError) -> String {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                var lineBytes = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                if lineBytes.last == 0x0D { lineBytes.removeLast() }
                return String(decoding: lineBytes, as: UTF8.self)
            }
            guard buffer.count < 64 * 1024 else {
                throw .connection(endpoint: endpoint.description, reason: "a reply line longer than 64 KiB")
            }
            buffer += try channel.read()
        }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One SMTP conversation over a plain TCP socket (RFC 5321): replies read line by line,
/// every read and write bounded by a timeout. Written by hand: no package on this
/// machine offers an SMTP client, and plain SMTP is a short protocol.
final class SMTPConnection {
    let endpoint: SMTPEndpoint
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    /// ESMTP extensions from the EHLO reply, upper-cased (`AUTH PLAIN LOGIN`, `8BITMIME`, …).
    private(set) var extensions: [String] = []

    /// Connects and reads the greeting (220).
    init(endpoint: SMTPEndpoint, timeout: Double) throws(SMTPError) {
        self.endpoint = endpoint
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(endpoint.host, String(endpoint.port), &hints, &list)
        guard status == 0, let first = list else {
            throw .connect(endpoint: endpoint.description, reason: "cannot resolve the host (\(String(cString: gai_strerror(status))))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let ai = candidate {
            candidate = ai.pointee.ai_next
            let s = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
            guard s >= 0 else { lastError = String(cString: strerror(errno)); continue }
            var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
            setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            if connect(s, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 {
                fd = s
                break
            }
            lastError = errno == EINPROGRESS || errno == EAGAIN ? "timed out after \(Int(timeout)) s" : String(cString: strerror(errno))
            Glibc.close(s)
        }
        guard fd >= 0 else { throw .connect(endpoint: endpoint.description, reason: lastError) }
        let greeting = try readReply()
        guard greeting.code == 220 else {
            close()
            throw .rejected(command: "the connection (greeting)", reply: greeting)
        }
    }

    deinit { close() }

    func close() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
    }

    /// EHLO, falling back to HELO for servers without ESMTP.
    func hello(name: String) throws(SMTPError) {
        let reply = try command("EHLO \(name)")
        if reply.code == 250 {
            extensions = reply.lines.dropFirst().map { $0.uppercased() }
            return
        }
        try expect(try command("HELO \(name)"), 250, for: "HELO")
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
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .connection(endpoint: endpoint.description, reason: errno == EAGAIN ? "timed out writing" : String(cString: strerror(errno)))
            }
            offset += n
        }
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
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                buffer += chunk[..<n]
            } else if n == 0 {
                throw .connection(endpoint: endpoint.description, reason: "the server closed the connection")
            } else if errno != EINTR {
                throw .connection(endpoint: endpoint.description,
                                  reason: errno == EAGAIN ? "no answer within the timeout" : String(cString: strerror(errno)))
            }
        }
    }
}

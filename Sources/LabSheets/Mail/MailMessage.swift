import Foundation

/// One participant's mail: RFC 5322 headers and a MIME multipart/alternative body
/// with a plain-text and an HTML part, both UTF-8 in quoted-printable. CRLF line ends.
public struct MailMessage: Equatable, Sendable {
    public var from: MailAddress
    public var to: MailAddress
    public var replyTo: MailAddress?
    public var subject: String
    public var date: Date
    /// Without angle brackets: `labctl.session-1.jane.doe.20261128T090000Z.1a2b3c4d@example.org`.
    public var messageID: String
    public var text: String
    public var html: String

    public init(from: MailAddress, to: MailAddress, replyTo: MailAddress? = nil, subject: String, date: Date,
                messageID: String, text: String, html: String) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.text = text
        self.html = html
    }

    /// `labctl.<session>.<name>.<UTC time>.<nonce>@<sender's domain>`: unique per
    /// participant and run, and says where it came from.
    public static func makeID(session: String, participant: String, date: Date, nonce: String, domain: String) -> String {
        let time = UTCDate.string(date, format: "yyyyMMdd'T'HHmmss'Z'")
        return "labctl.\(session).\(participant).\(time).\(nonce)@\(domain)"
    }

    /// A random 8-hex-digit nonce for `makeID` and the MIME boundary.
    public static func randomNonce() -> String { String(format: "%08x", UInt32.random(in: 0...UInt32.max)) }

    /// `Sat, 28 Nov 2026 09:00:00 +0000`.
    static func rfc5322Date(_ date: Date) -> String { UTCDate.string(date, format: "EEE, dd MMM yyyy HH:mm:ss '+0000'") }

    /// The boundary starts with `=_`, which quoted-printable text can never contain.
    var boundary: String {
        let tail = messageID.split(separator: "@").first.map { String($0.suffix(8)) } ?? "0"
        return "=_labctl_alt_\(tail)"
    }

    /// The complete message as sent and as written to `<name>.eml`.
    public var rendered: String {
        var headers: [String] = [
            HeaderEncoding.fold(name: "From", tokens: from.headerTokens),
            HeaderEncoding.fold(name: "To", tokens: to.headerTokens),
        ]
        if let replyTo { headers.append(HeaderEncoding.fold(name: "Reply-To", tokens: replyTo.headerTokens)) }
        headers += [
            HeaderEncoding.fold(name: "Subject", tokens: HeaderEncoding.unstructured(subject)),
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
        ]
        let part = { (type: String, body: String) -> String in
            "--\(boundary)\r\n"
                + "Content-Type: \(type); charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                + QuotedPrintable.encode(body) + "\r\n"
        }
        return headers.joined(separator: "\r\n") + "\r\n\r\n"
            + "This is a MIME message: a plain-text and an HTML version of the same text.\r\n\r\n"
            + part("text/plain", text)
            + part("text/html", html)
            + "--\(boundary)--\r\n"
    }
}

import Foundation

/// An e-mail address with an optional display name, checked before it goes into a header
/// or an SMTP command (ASCII, one `@`, no spaces, brackets or line breaks: no header injection).
public struct MailAddress: Equatable, Sendable, CustomStringConvertible {
    public let address: String
    public let displayName: String?

    public init(_ address: String, displayName: String? = nil) throws(MailError) {
        let trimmed = address.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        let forbidden: Set<Character> = [" ", "<", ">", "(", ")", ",", ";", ":", "\"", "[", "]", "\\"]
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              trimmed.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0.value < 127 }),
              !trimmed.contains(where: { forbidden.contains($0) }), trimmed.count <= 254
        else { throw .invalidAddress(address) }
        self.address = trimmed
        let name = displayName.map { $0.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ") }
        self.displayName = (name?.isEmpty ?? true) ? nil : name
    }

    /// The part after `@`, for Message-IDs.
    public var domain: String { String(address.split(separator: "@").last ?? "") }

    /// `Display Name <address>` as a header value (display name encoded per RFC 2047 if needed).
    public var headerValue: String { headerTokens.joined(separator: " ") }

    /// The header value in pieces that may be folded onto separate lines.
    var headerTokens: [String] {
        guard let name = displayName else { return [address] }
        let phrase = HeaderEncoding.phrase(name)
        let pieces = phrase.hasPrefix(HeaderEncoding.prefix) ? phrase.split(separator: " ").map(String.init) : [phrase]
        return pieces + ["<\(address)>"]
    }

    public var description: String { headerValue }
}

import Foundation
import LabCore

/// An e-mail address with an optional display name, checked before it goes into a header
/// or an SMTP command: LabCore's `EmailAddress` rules (no header injection).
public struct MailAddress: Equatable, Sendable, CustomStringConvertible {
    public let address: String
    public let displayName: String?

    public init(_ address: String, displayName: String? = nil) throws(MailError) {
        do { self.address = try EmailAddress(address).value } catch { throw .invalidAddress(address) }
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

import Foundation

/// A participant's or trainer's e-mail address, checked once for everything that takes
/// one (the join form and API, `keys add --email`, the mailer): ASCII, one `@`, a dotted
/// domain, no spaces, brackets, quotes or line breaks — what can go into a mail header
/// and an SMTP command without quoting, so an address accepted at intake can be mailed.
public struct EmailAddress: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let value: String
    public var description: String { value }
    /// The part after `@`.
    public var domain: String { String(value[value.index(after: value.lastIndex(of: "@")!)...]) }

    public static let maxLength = 254

    public init(_ text: String) throws(EmailAddressError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        let forbidden: Set<Character> = [" ", "<", ">", "(", ")", ",", ";", ":", "\"", "[", "]", "\\"]
        guard !trimmed.isEmpty, trimmed.count <= Self.maxLength, parts.count == 2, !parts[0].isEmpty,
              parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !parts[1].contains(".."),
              trimmed.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0.value < 127 }),
              !trimmed.contains(where: { forbidden.contains($0) })
        else { throw EmailAddressError(text: text) }
        value = trimmed
    }

    /// nil for an empty or blank field (no address given).
    public static func optional(_ text: String?) throws(EmailAddressError) -> EmailAddress? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return try EmailAddress(text)
    }
}

public struct EmailAddressError: Error, Equatable, Sendable, CustomStringConvertible {
    public let text: String
    public var description: String {
        "'\(text.prefix(60))' is not an e-mail address labctl can mail: use plain ASCII like jane@example.org (one @, a dotted domain, no spaces or brackets), or leave it out."
    }
}

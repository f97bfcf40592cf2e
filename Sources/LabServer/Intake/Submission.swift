import Foundation
import LabCore

/// A participant's submission after validation: the name as LabCore
/// canonicalises it, the key as OpenSSH would read it. Building one never
/// stores, logs or echoes the submitted key text.
struct Submission: Sendable {
    var name: ParticipantName
    var displayName: String
    var email: String?
    var key: SSHPublicKey

    /// Validates the raw fields; errors are 400 (names, email) or 422 (the key, with LabCore's reason).
    init(firstName: String?, lastName: String?, email: String?, publicKey: String?) throws(IntakeHTTPError) {
        let first = Self.clean(firstName), last = Self.clean(lastName)
        guard !first.isEmpty, !last.isEmpty else {
            throw .malformed("give your first and your last name (e.g. Jane and Doe).")
        }
        guard first.count <= IntakeLimits.nameCharacters, last.count <= IntakeLimits.nameCharacters else {
            throw .malformed("a name is longer than \(IntakeLimits.nameCharacters) characters; shorten it.")
        }
        do { name = try ParticipantName(first: first, last: last) } catch { throw .name(error) }
        displayName = first + " " + last
        self.email = try Self.validEmail(email)
        key = try Self.parseKey(publicKey)
    }

    /// The key alone (replacing a key).
    static func parseKey(_ text: String?) throws(IntakeHTTPError) -> SSHPublicKey {
        do { return try PublicKeyParser.parse(text ?? "") } catch { throw .keyRefused(error) }
    }

    /// Trimmed, control characters removed, inner whitespace collapsed.
    static func clean(_ text: String?) -> String {
        guard let text else { return "" }
        let scalars = text.unicodeScalars.filter { !$0.properties.generalCategory.isControlOrFormat }
        return String(String.UnicodeScalarView(scalars)).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The one rule for addresses (LabCore's `EmailAddress`): what the form accepts, the mailer can send.
    static func validEmail(_ text: String?) throws(IntakeHTTPError) -> String? {
        do { return try EmailAddress.optional(text)?.value } catch { throw .malformed(error.description) }
    }
}

extension Unicode.GeneralCategory {
    var isControlOrFormat: Bool { self == .control || self == .format || self == .lineSeparator || self == .paragraphSeparator }
}

import Foundation

/// A participant's canonical name, `first.last`: lower-case ASCII parts of
/// `[a-z0-9-]` joined by dots. Safe as a file name, an AWS resource name and a tag.
public struct ParticipantName: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let maximumPartLength = 40

    /// The name parts, first name first; at least one, none empty.
    public let parts: [String]

    public var value: String { parts.joined(separator: ".") }
    public var description: String { value }
    public var first: String { parts[0] }
    /// Everything after the first name, hyphens kept ("muller-ludenscheidt").
    public var last: String { parts.dropFirst().joined(separator: "-") }

    public static func < (a: Self, b: Self) -> Bool { a.value < b.value }

    /// From a display name: the first word is the first name, the rest the last name.
    /// "Zoë Müller-Lüdenscheidt" → `zoe.muller-ludenscheidt`.
    public init(displayName: String) throws(NameError) {
        let words = displayName.split(whereSeparator: { $0.isWhitespace })
        guard let firstWord = words.first else { throw .empty }
        try self.init(first: String(firstWord), last: words.dropFirst().joined(separator: " "))
    }

    /// From separate first and last name fields (the web form).
    public init(first: String, last: String) throws(NameError) {
        let f = Self.fold(first)
        let l = Self.fold(last)
        guard !f.isEmpty else {
            // Typed, but nothing Latin came out of it (emoji, symbols): say what to type instead.
            let typed = (first + last).contains { !$0.isWhitespace }
            throw typed ? .noLatinLetters : .empty
        }
        try self.init(validating: l.isEmpty ? [f] : [f, l])
    }

    /// From an already canonical string such as a key file's stem (`john.doe`).
    /// Letters are folded; `_` and spaces separate parts like dots.
    public init(canonical text: String) throws(NameError) {
        let raw = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "." || $0 == "_" || $0 == " " })
        guard !raw.isEmpty, raw.allSatisfy({ !$0.isEmpty }) else {
            throw text.isEmpty ? .empty : .invalid(text)
        }
        try self.init(validating: raw.map { Self.fold(String($0)) })
    }

    private init(validating parts: [String]) throws(NameError) {
        for part in parts {
            guard !part.isEmpty, part.first != "-", part.last != "-" else { throw .invalid(parts.joined(separator: ".")) }
            guard part.count <= Self.maximumPartLength else { throw .tooLong(part) }
        }
        self.parts = parts
    }

    /// Lower-case ASCII with diacritics removed; other scripts transliterated to
    /// Latin first (Иван → ivan, Γιώργος → giorgos, 王 → wang); other characters
    /// become hyphens, runs of them collapse, none at the ends.
    static func fold(_ text: String) -> String {
        var out = ""
        for scalar in latin(text).decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            let piece: String
            if let special = Self.transliterations[scalar] {
                piece = special
            } else if scalar.isASCII, let c = Optional(Character(scalar)), c.isLetter || c.isNumber {
                piece = String(c).lowercased()
            } else {
                piece = "-"
            }
            for c in piece where !(c == "-" && (out.isEmpty || out.last == "-")) { out.append(c) }
        }
        while out.last == "-" { out.removeLast() }
        return out
    }

    /// ICU's `Any-Latin; Latin-ASCII` (swift-corelibs-foundation ships ICU), applied only when
    /// a letter or digit is outside what the table below and accent stripping handle, so
    /// Latin names fold exactly as before. Emoji and symbols pass through unchanged.
    static func latin(_ text: String) -> String {
        let needsICU = text.decomposedStringWithCanonicalMapping.unicodeScalars.contains { scalar in
            !scalar.isASCII && transliterations[scalar] == nil
                && scalar.properties.generalCategory != .nonspacingMark
                && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil)
        }
        guard needsICU else { return text }
        return text.applyingTransform(StringTransform("Any-Latin; Latin-ASCII"), reverse: false) ?? text
    }

    private static let transliterations: [Unicode.Scalar: String] = [
        "ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe",
        "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "þ": "th", "Þ": "th", "ð": "d", "ı": "i",
    ]
}

/// Why a name cannot be used.
public enum NameError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case invalid(String)
    case tooLong(String)
    /// Typed, but nothing of it becomes a Latin letter or digit (emoji only, symbols).
    case noLatinLetters

    public var description: String {
        switch self {
        case .empty:
            return "the name is empty; give a first and a last name (e.g. \"Jane Doe\" or jane.doe)."
        case .invalid(let s):
            return "'\(s)' is not a usable participant name; use letters and digits as first.last (e.g. jane.doe)."
        case .tooLong(let s):
            return "'\(s.prefix(20))…' is longer than \(ParticipantName.maximumPartLength) characters; shorten it."
        case .noLatinLetters:
            // Not echoed: the text went through nothing that makes it safe to show.
            return "the name has no letters or digits labctl can use; type your name in Latin letters (e.g. Ivan Petrov)."
        }
    }
}

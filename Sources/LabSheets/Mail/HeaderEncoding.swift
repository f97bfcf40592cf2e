/// RFC 2047 encoded words (Q encoding, UTF-8) and RFC 5322 quoting for headers.
/// Plain ASCII stays readable; only what needs it is encoded.
enum HeaderEncoding {
    /// An encoded word may be 75 characters: `=?utf-8?q?` + text + `?=`.
    static let maxEncodedWord = 75
    static let prefix = "=?utf-8?q?"
    static let suffix = "?="

    /// A display name: atoms as they are, ASCII with specials as a quoted string,
    /// anything non-ASCII as encoded words.
    static func phrase(_ text: String) -> String {
        if !text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 32 && $0.value < 127 }) {
            return encodedWords(text).joined(separator: " ")
        }
        let atomText = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~ ")
        if text.allSatisfy({ atomText.contains($0) }) { return text }
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }

    /// An unstructured header value (Subject): ASCII words stay, runs of words with
    /// non-ASCII characters become encoded words. Returns the tokens to fold.
    static func unstructured(_ text: String) -> [String] {
        let words = text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).map(String.init)
        var tokens: [String] = []
        var run: [String] = []
        func flushRun() {
            guard !run.isEmpty else { return }
            tokens += encodedWords(run.joined(separator: " "))
            run = []
        }
        for word in words {
            // A word that looks like an encoded word is encoded too, so it is not decoded by mistake.
            if word.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0.value < 127 }) && !word.contains("=?") {
                flushRun()
                tokens.append(word)
            } else {
                run.append(word)
            }
        }
        flushRun()
        return tokens
    }

    /// `text` as one or more encoded words of at most 75 characters. Splits after an
    /// (encoded) space where it can, inside a word only when one word alone is too long,
    /// and never inside a character.
    static func encodedWords(_ text: String) -> [String] {
        let room = maxEncodedWord - prefix.count - suffix.count
        var chunks: [String] = []
        var current = ""
        func add(_ piece: String) {
            if current.count + piece.count > room, !current.isEmpty {
                chunks.append(current)
                current = ""
            }
            current += piece
        }
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        for (i, word) in words.enumerated() {
            var encoded = word.map(qEncode).joined()
            if i < words.count - 1 { encoded += "_" }
            if encoded.count <= room {
                add(encoded)
            } else {
                for character in word { add(qEncode(character)) }
                if i < words.count - 1 { add("_") }
            }
        }
        if !current.isEmpty || chunks.isEmpty { chunks.append(current) }
        return chunks.map { prefix + $0 + suffix }
    }

    /// Q encoding for use in a phrase (RFC 2047 5(3)): letters, digits and `!*+-/` as they are,
    /// space as `_`, every other byte as `=XX`.
    static func qEncode(_ character: Character) -> String {
        if character == " " { return "_" }
        var out = ""
        for byte in String(character).utf8 {
            let safe = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || [0x21, 0x2A, 0x2B, 0x2D, 0x2F].contains(byte)
            out += safe ? String(UnicodeScalar(byte)) : "=" + hex(byte)
        }
        return out
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    /// `Name: value` folded at spaces so lines stay within 78 characters where the tokens allow.
    static func fold(name: String, tokens: [String]) -> String {
        var lines: [String] = []
        var line = name + ":"
        for token in tokens {
            if line.count + 1 + token.count > 78 && line != name + ":" {
                lines.append(line)
                line = " " + token
            } else {
                line += " " + token
            }
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }
}

/// Reads the literal-assignment subset of HCL that `.tfvars` files use:
/// `name = value` with strings, numbers, bools, null, lists and maps, and
/// `#`, `//` and `/* */` comments. Anything else (expressions, interpolation,
/// heredocs, blocks) is reported as `file:line: unsupported …`.
public struct TFVarsReader {
    public struct Assignment: Sendable { public let name: String; public let value: TFValue; public let line: Int }

    private let source: [Character]
    private let file: String
    private var pos = 0
    private var line = 1

    public static func read(_ text: String, file: String) throws(TFVarsError) -> [Assignment] {
        var reader = TFVarsReader(source: Array(text), file: file)
        return try reader.assignments()
    }

    private init(source: [Character], file: String) { self.source = source; self.file = file }

    private mutating func assignments() throws(TFVarsError) -> [Assignment] {
        var result: [Assignment] = []
        var seen = Set<String>()
        while true {
            try skipTrivia(newlines: true)
            guard let c = peek() else { return result }
            let startLine = line
            guard c.isLetter || c == "_" else { throw error("unsupported syntax at '\(c)'") }
            let name = identifier()
            try skipTrivia(newlines: false)
            guard peek() == "=" else {
                throw error(peek() == "{" ? "unsupported block '\(name) { … }' (only name = value)" : "expected '=' after '\(name)'")
            }
            pos += 1
            let value = try parseValue()
            guard seen.insert(name).inserted else { throw TFVarsError(file: file, line: startLine, message: "'\(name)' is assigned twice") }
            result.append(Assignment(name: name, value: value, line: startLine))
            try skipTrivia(newlines: false)
            if let c = peek(), c != "\n" { throw error("unexpected '\(c)' after the value of '\(name)'") }
        }
    }

    private mutating func parseValue() throws(TFVarsError) -> TFValue {
        try skipTrivia(newlines: true)
        guard let c = peek() else { throw error("missing value") }
        switch c {
        case "\"": return .string(try string())
        case "[": return try list()
        case "{": return try map()
        case "<": throw error("unsupported heredoc")
        default:
            if c == "-" || c.isNumber { return try number() }
            if c.isLetter {
                let word = identifier()
                switch word {
                case "true": return .bool(true)
                case "false": return .bool(false)
                case "null": return .null
                default: throw error("unsupported expression '\(word)' (only literal values)")
                }
            }
            throw error("unsupported value starting with '\(c)'")
        }
    }

    private mutating func list() throws(TFVarsError) -> TFValue {
        pos += 1
        var items: [TFValue] = []
        while true {
            try skipTrivia(newlines: true)
            if peek() == "]" { pos += 1; return .list(items) }
            items.append(try parseValue())
            try skipTrivia(newlines: true)
            if peek() == "," { pos += 1; continue }
            guard peek() == "]" else { throw error("expected ',' or ']' in list") }
        }
    }

    private mutating func map() throws(TFVarsError) -> TFValue {
        pos += 1
        var entries: [(key: String, value: TFValue)] = []
        while true {
            try skipTrivia(newlines: true)
            guard let c = peek() else { throw error("unterminated map") }
            if c == "}" { pos += 1; return .map(entries) }
            let key: String
            if c == "\"" { key = try string() } else if c.isLetter || c == "_" { key = identifier() } else {
                throw error("unsupported map key starting with '\(c)'")
            }
            try skipTrivia(newlines: false)
            guard peek() == "=" || peek() == ":" else { throw error("expected '=' after map key '\(key)'") }
            pos += 1
            entries.append((key, try parseValue()))
            try skipTrivia(newlines: false)
            if peek() == "," { pos += 1 }
        }
    }

    private mutating func string() throws(TFVarsError) -> String {
        pos += 1
        var out = ""
        while let c = peek() {
            pos += 1
            switch c {
            case "\"": return out
            case "\n": throw error("unterminated string")
            case "\\":
                guard let e = peek() else { throw error("unterminated string") }
                pos += 1
                switch e {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                default: throw error("unsupported escape '\\\(e)'")
                }
            case "$" where peek() == "{", "%" where peek() == "{":
                throw error("unsupported interpolation '\(c){…}' (only literal strings)")
            default: out.append(c)
            }
        }
        throw error("unterminated string")
    }

    private mutating func number() throws(TFVarsError) -> TFValue {
        var text = ""
        while let c = peek(), c.isNumber || c == "." || c == "-" || c == "e" || c == "E" || c == "+" {
            text.append(c); pos += 1
        }
        guard let d = Double(text) else { throw error("'\(text)' is not a number") }
        return .number(d)
    }

    private mutating func identifier() -> String {
        var out = ""
        while let c = peek(), c.isLetter || c.isNumber || c == "_" || c == "-" { out.append(c); pos += 1 }
        return out
    }

    /// Skips spaces, comments and (optionally) newlines, counting lines.
    private mutating func skipTrivia(newlines: Bool) throws(TFVarsError) {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\r" || c == "\u{FEFF}" { pos += 1 }
            else if c == "\n" || c == "\r\n" { guard newlines else { return }; pos += 1; line += 1 }
            else if c == "#" || (c == "/" && peek(1) == "/") {
                while let d = peek(), d != "\n", d != "\r\n" { pos += 1 }
            } else if c == "/" && peek(1) == "*" {
                pos += 2
                while peek() != nil, !(peek() == "*" && peek(1) == "/") {
                    if peek() == "\n" || peek() == "\r\n" { line += 1 }
                    pos += 1
                }
                guard peek() != nil else { throw error("unterminated /* comment") }
                pos += 2
            } else { return }
        }
    }

    private func peek(_ offset: Int = 0) -> Character? {
        pos + offset < source.count ? source[pos + offset] : nil
    }

    private func error(_ message: String) -> TFVarsError { TFVarsError(file: file, line: line, message: message) }
}

/// A `.tfvars` problem, printed as `file:line: message`.
public struct TFVarsError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let message: String
    public var description: String { "\(file):\(line): \(message)" }
}

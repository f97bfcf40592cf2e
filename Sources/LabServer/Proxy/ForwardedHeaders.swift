import HTTPTypes

/// One hop a proxy recorded about a request, left (first proxy) to right (nearest).
struct ForwardedHop: Equatable, Sendable {
    /// The address the proxy heard the request from; nil when it is not an address
    /// (`unknown`, an obfuscated `_name`, missing or garbage).
    var client: IPAddress?
    /// RFC 7239 `proto=` and `host=` of this hop, when given and well-formed.
    var proto: String?
    var host: String?
}

/// Reads the forwarding headers proxies write: `X-Forwarded-For` (de facto, a comma list
/// of addresses), RFC 7239 `Forwarded` (`for=…;proto=…;host=…` elements, values possibly
/// quoted, IPv6 in brackets, ports allowed), `X-Forwarded-Proto`, `X-Forwarded-Host`.
/// Pure parsing: whether to believe them is `RequestOrigin`'s decision.
enum ForwardedHeaders {
    /// `X-Forwarded-For` across all its field lines, left to right (empty entries skipped).
    static func xForwardedFor(_ lines: [String]) -> [ForwardedHop] {
        lines.flatMap { $0.split(separator: ",") }
            .map(\.trimmingSpaces)
            .filter { !$0.isEmpty }
            .map { ForwardedHop(client: node($0)) }
    }

    /// `Forwarded`'s elements across all its field lines, left to right.
    static func forwarded(_ lines: [String]) -> [ForwardedHop] {
        lines.flatMap { split(Substring($0), on: ",") }.compactMap { element in
            var hop = ForwardedHop()
            var seen = Set<String>()
            for pair in split(element, on: ";") {
                guard let equals = pair.firstIndex(of: "=") else { continue }
                let name = pair[..<equals].trimmingSpaces.lowercased()
                // A parameter given twice in one element is ambiguous: the first counts.
                guard seen.insert(name).inserted else { continue }
                let value = unquote(pair[pair.index(after: equals)...].trimmingSpaces)
                switch name {
                case "for": hop.client = value.flatMap(node)
                case "proto": hop.proto = value.flatMap(proto)
                case "host": hop.host = value.flatMap(host)
                default: break
                }
            }
            return seen.isEmpty && element.trimmingSpaces.isEmpty ? nil : hop
        }
    }

    /// The right-most value of a comma-list header (what the nearest proxy wrote).
    static func lastValue(_ lines: [String]) -> Substring? {
        lines.flatMap { $0.split(separator: ",") }.map(\.trimmingSpaces).last { !$0.isEmpty }
    }

    /// An address as proxies write it: `192.0.2.1`, `192.0.2.1:8080`, `[2001:db8::1]`,
    /// `[2001:db8::1]:4711` or bare `2001:db8::1`; nil for anything else.
    static func node(_ text: Substring) -> IPAddress? {
        let text = text.trimmingSpaces
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || (rest.hasPrefix(":") && port(rest.dropFirst())) else { return nil }
            let inside = text[text.index(after: text.startIndex)..<close]
            guard inside.contains(":") else { return nil }
            return IPAddress(inside)
        }
        let colons = text.filter { $0 == ":" }.count
        if colons == 1, let colon = text.firstIndex(of: ":") {
            guard port(text[text.index(after: colon)...]) else { return nil }
            return IPAddress(text[..<colon]).flatMap { $0.isIPv4 ? $0 : nil }
        }
        return IPAddress(text)
    }

    /// `http` or `https` (any case), else nil.
    static func proto(_ text: Substring) -> String? {
        let value = text.trimmingSpaces.lowercased()
        return value == "http" || value == "https" ? value : nil
    }

    /// A host as a `Host` header carries it (`lab.example.org`, `lab.example.org:8443`,
    /// `[2001:db8::1]:443`), lower-cased; nil for anything with other characters.
    static func host(_ text: Substring) -> String? {
        let value = text.trimmingSpaces
        guard !value.isEmpty, value.utf8.count <= 255, value.utf8.allSatisfy(isHostByte) else { return nil }
        return value.lowercased()
    }

    private static func isHostByte(_ b: UInt8) -> Bool {
        (0x30...0x39).contains(b) || (0x41...0x5a).contains(b) || (0x61...0x7a).contains(b) || ".-_:[]".utf8.contains(b)
    }

    private static func port(_ text: Substring) -> Bool {
        !text.isEmpty && text.count <= 5 && text.allSatisfy(\.isASCIIDigit)
    }

    /// A token as it is, or a quoted-string without its quotes and backslash escapes;
    /// nil for an empty value or a quote that does not close.
    private static func unquote(_ value: Substring) -> Substring? {
        guard value.hasPrefix("\"") else { return value.isEmpty ? nil : value }
        var out = ""
        var escaped = false
        for c in value.dropFirst() {
            if escaped { out.append(c); escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "\"" { return Substring(out) }
            out.append(c)
        }
        return nil
    }

    /// Splits at `separator` outside quoted strings. A quote that never closes is an
    /// ordinary character: a client's stray `"` cannot swallow what a proxy appends after it.
    static func split(_ text: Substring, on separator: Character) -> [Substring] {
        var parts: [Substring] = []
        var start = text.startIndex
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "\"", let close = closingQuote(in: text, after: i) {
                i = text.index(after: close)
                continue
            }
            if c == separator {
                parts.append(text[start..<i])
                start = text.index(after: i)
            }
            i = text.index(after: i)
        }
        parts.append(text[start...])
        return parts
    }

    private static func closingQuote(in text: Substring, after open: Substring.Index) -> Substring.Index? {
        var i = text.index(after: open)
        while i < text.endIndex {
            if text[i] == "\\" {
                i = text.index(after: i)
                if i < text.endIndex { i = text.index(after: i) }
                continue
            }
            if text[i] == "\"" { return i }
            i = text.index(after: i)
        }
        return nil
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let xForwardedHost = HTTPField.Name("X-Forwarded-Host")!
    static let forwarded = HTTPField.Name("Forwarded")!
}

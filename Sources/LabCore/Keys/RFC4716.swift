/// Converts RFC 4716 `---- BEGIN SSH2 PUBLIC KEY ----` blocks (PuTTYgen's
/// export, `ssh-keygen -e`) to the base64 body and the `Comment:` header.
enum RFC4716 {
    static let begin = "---- BEGIN SSH2 PUBLIC KEY ----"
    static let end = "---- END SSH2 PUBLIC KEY ----"

    struct Block { var base64: String; var comment: String }

    static func blocks(in lines: [Substring]) throws -> [Block] {
        var result: [Block] = []
        var index = 0
        while index < lines.count {
            let line = lines[index].trimmingSSHWhitespace()
            index += 1
            guard line == begin else { continue }
            var comment = ""
            var body = ""
            var closed = false
            var header: String? = nil
            while index < lines.count {
                let raw = lines[index].trimmingSSHWhitespace()
                index += 1
                if raw == end { closed = true; break }
                if let pending = header {
                    // Header continuation: previous header line ended with a backslash.
                    header = pending + raw
                } else if body.isEmpty, raw.contains(":") {
                    header = String(raw)
                } else {
                    body += raw
                    continue
                }
                if header!.hasSuffix("\\") {
                    header!.removeLast()
                    continue
                }
                let parts = header!.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == "comment" {
                    var value = parts[1].trimmingSSHWhitespace()
                    if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                        value = value.dropFirst().dropLast()
                    }
                    comment = String(value)
                }
                header = nil
            }
            guard closed else { throw KeyRefusal.malformedLine }
            result.append(Block(base64: body, comment: comment))
        }
        return result
    }
}

extension StringProtocol {
    /// Trims the characters OpenSSH treats as field separators around a line.
    func trimmingSSHWhitespace() -> Substring {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return s
    }
}

import Foundation

/// Finds the tags of a template that name something labctl does not provide, so that a
/// typo (`{{mastr_ip}}`) fails with its line instead of rendering as nothing.
enum TemplateLint {
    /// A tag's name and the line it is on.
    struct Tag: Equatable {
        var sigil: Character?
        var name: String
        var line: Int
    }

    static func check(_ text: String, file: String) throws(TemplateError) {
        let partials = Set(TemplateKind.allCases.map(\.rawValue))
        for tag in tags(in: text) {
            if tag.sigil == ">" {
                guard partials.contains(tag.name) else { throw .unknownPartial(file: file, line: tag.line, name: tag.name) }
                continue
            }
            let root = variableRoot(tag.name)
            guard root == "." || TemplateVariables.all.contains(root) else {
                throw .unknownVariable(file: file, line: tag.line, name: root, suggestion: suggestion(for: root))
            }
        }
    }

    /// The variable or partial tags, without comments and pragmas. Stops at a
    /// set-delimiter tag (`{{=<% %>=}}`): after it, tags look different.
    static func tags(in text: String) -> [Tag] {
        var result: [Tag] = []
        var line = 1
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            line += rest[..<open.lowerBound].filter { $0 == "\n" }.count
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "}}") else { break }
            var inner = afterOpen[..<close.lowerBound]
            line += inner.filter { $0 == "\n" }.count
            rest = afterOpen[close.upperBound...]
            if inner.hasPrefix("{") { // {{{name}}}
                inner = inner.dropFirst()
                if rest.hasPrefix("}") { rest = rest.dropFirst() }
                result.append(Tag(sigil: "{", name: inner.trimmed, line: line))
                continue
            }
            let trimmed = Substring(inner.trimmed)
            guard let first = trimmed.first else { continue }
            switch first {
            case "!", "%": continue
            case "=": return result
            case "#", "^", "/", "&", ">", "$", "<":
                result.append(Tag(sigil: first, name: trimmed.dropFirst().trimmed, line: line))
            default:
                result.append(Tag(sigil: nil, name: String(trimmed), line: line))
            }
        }
        return result
    }

    /// `lowercased(display_name)` → `display_name`; `host_keys.first` → `host_keys`.
    static func variableRoot(_ name: String) -> String {
        var inner = Substring(name)
        while let open = inner.firstIndex(of: "("), let close = inner.lastIndex(of: ")"), open < close {
            inner = inner[inner.index(after: open)..<close]
        }
        if inner == "." { return "." }
        return String(inner.split(separator: ".", maxSplits: 1).first ?? inner)
    }

    /// The closest known name, if it is close (a typo, not another word).
    static func suggestion(for name: String) -> String? {
        var best: (name: String, distance: Int)?
        for candidate in TemplateVariables.all.sorted() {
            let d = distance(name, candidate)
            if best == nil || d < best!.distance { best = (candidate, d) }
        }
        guard let best, best.distance <= max(2, name.count / 4) else { return nil }
        return best.name
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var diagonal = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let above = row[j]
                let substitution: Int = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)
                let insertion: Int = row[j - 1] + 1
                let deletion: Int = above + 1
                row[j] = Swift.min(substitution, insertion, deletion)
                diagonal = above
            }
        }
        return row[b.count]
    }
}

private extension Substring {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}

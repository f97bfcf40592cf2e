import Foundation

/// What `kubectl get … -o jsonpath=<template>` prints for a recorded list object, so a
/// replayed master answers the verifier's jsonpath probes with text derived from the very
/// objects its `-o json` replay prints (not a second, hand-written recording).
///
/// The subset of kubectl's JSONPath the probes use: `{range .items[*]}…{end}`, quoted
/// literals with `\t`/`\n` escapes, and field paths of names and `[?(@.key=="value")]`
/// filters. As kubectl does for `-o jsonpath` (it sets allowMissingKeys), a missing field
/// prints nothing, several matches print separated by a space, a string prints unquoted.
extension RecordedOutputs {
    /// The templates replayed (the verifier's `RemoteProbe` asks for exactly these;
    /// a different template gets kubectl-style "no recording" error from the shim).
    static let nodesJSONPath = #"{range .items[*]}{.metadata.name}{"\t"}{.status.conditions[?(@.type=="Ready")].status}{"\t"}{.status.conditions[?(@.type=="Ready")].reason}{"\n"}{end}"#
    static let podsJSONPath = #"{range .items[*]}{.metadata.namespace}{"\t"}{.metadata.labels.component}{"\t"}{.metadata.labels.k8s-app}{"\t"}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}"#

    enum JSONPathError: Error, CustomStringConvertible {
        case unsupported(String)
        var description: String {
            switch self { case .unsupported(let part): "the rehearsal's jsonpath subset does not cover '\(part)'" }
        }
    }

    /// Evaluates `template` over `root` as `kubectl -o jsonpath=` prints it.
    static func jsonpath(_ template: String, over root: Any) throws -> String {
        let tokens = try braces(template)
        var out = ""
        var i = 0
        try render(tokens, &i, current: root, into: &out, untilEnd: false)
        return out
    }

    private enum Token { case literal(String), field([PathStep]), range([PathStep]), end }
    private enum PathStep { case key(String), all, filter(key: String, equals: String) }

    private static func braces(_ template: String) throws -> [Token] {
        var tokens: [Token] = []
        var rest = Substring(template)
        while !rest.isEmpty {
            guard rest.first == "{", let close = rest.firstIndex(of: "}") else {
                // Text outside braces prints as it is.
                let next = rest.firstIndex(of: "{") ?? rest.endIndex
                tokens.append(.literal(String(rest[..<next])))
                rest = rest[next...]
                continue
            }
            let body = rest[rest.index(after: rest.startIndex)..<close]
            rest = rest[rest.index(after: close)...]
            if body.hasPrefix("\""), body.hasSuffix("\""), body.count >= 2 {
                let inner = body.dropFirst().dropLast()
                tokens.append(.literal(inner.replacingOccurrences(of: "\\t", with: "\t").replacingOccurrences(of: "\\n", with: "\n")))
            } else if body == "end" {
                tokens.append(.end)
            } else if body.hasPrefix("range ") {
                tokens.append(.range(try path(body.dropFirst("range ".count))))
            } else {
                tokens.append(.field(try path(body)))
            }
        }
        return tokens
    }

    /// `.a.b[*].c[?(@.type=="Ready")].d`
    private static func path(_ text: Substring) throws -> [PathStep] {
        var steps: [PathStep] = []
        var s = text
        while !s.isEmpty {
            if s.hasPrefix(".") {
                s = s.dropFirst()
                let end = s.firstIndex(where: { $0 == "." || $0 == "[" }) ?? s.endIndex
                steps.append(.key(String(s[..<end])))
                s = s[end...]
            } else if s.hasPrefix("[*]") {
                steps.append(.all)
                s = s.dropFirst(3)
            } else if s.hasPrefix("[?(@."), let close = s.range(of: ")]") {
                let condition = s[s.index(s.startIndex, offsetBy: 5)..<close.lowerBound]
                let parts = condition.components(separatedBy: "==")
                guard parts.count == 2, parts[1].hasPrefix("\""), parts[1].hasSuffix("\"") else { throw JSONPathError.unsupported(String(s)) }
                steps.append(.filter(key: parts[0], equals: String(parts[1].dropFirst().dropLast())))
                s = s[close.upperBound...]
            } else {
                throw JSONPathError.unsupported(String(s))
            }
        }
        return steps
    }

    private static func evaluate(_ steps: [PathStep], on value: Any) -> [Any] {
        var values = [value]
        for step in steps {
            values = values.flatMap { v -> [Any] in
                switch step {
                case .key(let k): return (v as? [String: Any])?[k].map { [$0] } ?? []
                case .all: return (v as? [Any]) ?? []
                case .filter(let k, let want):
                    return ((v as? [Any]) ?? []).filter { (($0 as? [String: Any])?[k] as? String) == want }
                }
            }
        }
        return values
    }

    private static func text(_ value: Any) -> String {
        switch value {
        case let s as String: s
        case let b as Bool: b ? "true" : "false"
        case let n as Int: String(n)
        default: json(value, indent: 0)
        }
    }

    private static func render(_ tokens: [Token], _ i: inout Int, current: Any, into out: inout String, untilEnd: Bool) throws {
        while i < tokens.count {
            let token = tokens[i]
            i += 1
            switch token {
            case .literal(let s): out += s
            case .field(let steps): out += evaluate(steps, on: current).map(text).joined(separator: " ")
            case .end:
                if untilEnd { return }
                throw JSONPathError.unsupported("{end} without {range}")
            case .range(let steps):
                let body = i
                let items = evaluate(steps, on: current)
                if items.isEmpty { try skipToEnd(tokens, &i) }
                for item in items {
                    i = body
                    try render(tokens, &i, current: item, into: &out, untilEnd: true)
                }
            }
        }
        if untilEnd { throw JSONPathError.unsupported("{range} without {end}") }
    }

    private static func skipToEnd(_ tokens: [Token], _ i: inout Int) throws {
        var depth = 1
        while i < tokens.count {
            if case .range = tokens[i] { depth += 1 }
            if case .end = tokens[i] { depth -= 1 }
            i += 1
            if depth == 0 { return }
        }
        throw JSONPathError.unsupported("{range} without {end}")
    }
}

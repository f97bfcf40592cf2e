import Foundation

/// The lifetime settings of `sessions/<s>.tfvars`:
/// `session_end` (see `SessionEnd`) and `shutdown_grace` (how long after the end the
/// instances power themselves off and `reap` destroys the session; default 2 h).
public struct SessionLifetime: Equatable, Sendable {
    public static let endKey = "session_end"
    public static let graceKey = "shutdown_grace"
    public static let defaultGrace: TimeInterval = 2 * 3600

    /// nil: no end set (apply needs `--no-end` then).
    public var end: SessionEnd?
    /// Set when `session_end` is there but unusable: `file:line: …` and how to fix it.
    public var endProblem: String?
    public var grace: TimeInterval = SessionLifetime.defaultGrace

    public init(end: SessionEnd? = nil, grace: TimeInterval = SessionLifetime.defaultGrace) {
        self.end = end
        self.grace = grace
    }

    /// When the instances power off and the session may be reaped: end + grace.
    public var shutdownAt: Date? { end.map { $0.date.addingTimeInterval(grace) } }

    /// Reads both keys; a bad grace is an error, an unreadable end only
    /// recorded (old tfvars carried free text there, and read-only commands still work).
    static func read(_ values: [String: (value: TFValue, line: Int)], file: String) throws(SessionConfigError) -> SessionLifetime {
        var lifetime = SessionLifetime()
        if let (value, line) = values[endKey] {
            if let s = value.stringValue, !s.trimmingCharacters(in: .whitespaces).isEmpty {
                if let end = SessionEnd.parse(s) { lifetime.end = end } else { lifetime.endProblem = "\(file):\(line): " + SessionEnd.problem(s) }
            } else if value != .null, value.stringValue == nil {
                throw .wrongType(file: file, line: line, name: endKey, expected: "a string such as \"2026-12-04T17:00:00+01:00\"")
            }
        }
        if let (value, line) = values[graceKey] {
            guard let s = value.stringValue, let seconds = LifetimeDuration.parse(s) else {
                throw .wrongType(file: file, line: line, name: graceKey, expected: "a duration such as \"2h\" or \"90m\"")
            }
            lifetime.grace = seconds
        }
        return lifetime
    }
}

/// `2h`, `90m`, `1h30m`, `45s`, `0` (no grace): durations in the tfvars and on the command line.
public enum LifetimeDuration {
    public static func parse(_ text: String) -> TimeInterval? {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        if s == "0" { return 0 }
        var total: TimeInterval = 0
        var number = ""
        var sawUnit = false
        for ch in s {
            if ch.isASCII && (ch.isNumber || ch == ".") { number.append(ch); continue }
            guard let value = Double(number) else { return nil }
            switch ch {
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            case "d": total += value * 86400
            default: return nil
            }
            number = ""
            sawUnit = true
        }
        guard number.isEmpty, sawUnit else { return nil }
        return total
    }

    /// `2h`, `1h30m`, `45m`, `0s`.
    public static func format(_ seconds: TimeInterval) -> String {
        var s = Int(seconds.rounded())
        if s == 0 { return "0s" }
        var out = ""
        if s >= 86400 && s % 86400 == 0 { return "\(s / 86400)d" }
        if s >= 3600 { out += "\(s / 3600)h"; s %= 3600 }
        if s >= 60 { out += "\(s / 60)m"; s %= 60 }
        if s > 0 { out += "\(s)s" }
        return out
    }
}

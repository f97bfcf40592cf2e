import ArgumentParser
import Foundation

/// A duration on the command line: `90`, `90s`, `5m`, `1h`, `1m30s`.
struct DurationArgument: ExpressibleByArgument, Sendable {
    var seconds: TimeInterval

    init(seconds: TimeInterval) { self.seconds = seconds }

    init?(argument: String) {
        var total: TimeInterval = 0
        var number = ""
        var sawUnit = false
        for ch in argument.lowercased() {
            if ch.isNumber || ch == "." { number.append(ch); continue }
            guard let value = Double(number) else { return nil }
            switch ch {
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            default: return nil
            }
            number = ""
            sawUnit = true
        }
        if !number.isEmpty {
            guard let value = Double(number) else { return nil }
            total += value
        } else if !sawUnit { return nil }
        guard total > 0 else { return nil }
        seconds = total
    }

    var defaultValueDescription: String { Self.format(seconds) }

    static func format(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 && s % 3600 == 0 { return "\(s / 3600)h" }
        if s >= 60 && s % 60 == 0 { return "\(s / 60)m" }
        if s >= 60 { return "\(s / 60)m\(s % 60)s" }
        return seconds == seconds.rounded() ? "\(s)s" : String(format: "%.1fs", seconds)
    }
}

import Foundation

/// When a session ends: a real point in time with the zone the trainer wrote it in
/// (`session_end` in the tfvars, `create-config --end`, `extend --until`).
///
/// Accepted forms (written by hand, so both are common):
/// - RFC 3339 with an offset: `2026-12-04T17:00:00+01:00`, `2026-12-04T16:00:00Z`
///   (seconds optional, a space instead of `T` allowed);
/// - a local time and an IANA zone: `2026-12-04 17:00 Europe/Berlin` (or `UTC`).
///
/// The sheets show `human` ("Friday 4 December 2026, 17:00 CET"), AWS tags carry `utcRFC3339`.
public struct SessionEnd: Equatable, Sendable, CustomStringConvertible {
    public let date: Date
    /// The zone the time was given in; the human form is shown in it.
    public let timeZone: TimeZone
    /// The text as given (kept when the tfvars are rewritten).
    public let text: String

    public init(date: Date, timeZone: TimeZone, text: String) {
        self.date = date
        self.timeZone = timeZone
        self.text = text
    }

    public var description: String { text }

    /// `2026-12-04T16:00:00Z`: the `ExpiresAt` tag.
    public var utcRFC3339: String { Self.utcRFC3339(date) }

    /// `Friday 4 December 2026, 17:00 CET`, in the zone it was given in.
    public var human: String { Self.human(date, in: timeZone) }

    /// Parses one of the accepted forms; nil when the text is none of them.
    public static func parse(_ raw: String) -> SessionEnd? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let scalars = Array(text)
        // YYYY-MM-DD
        guard scalars.count >= 16, let year = number(scalars, 0, 4), scalars[4] == "-", let month = number(scalars, 5, 2),
              scalars[7] == "-", let day = number(scalars, 8, 2), scalars[10] == "T" || scalars[10] == " ",
              let hour = number(scalars, 11, 2), scalars[13] == ":", let minute = number(scalars, 14, 2) else { return nil }
        var index = 16
        var second = 0
        if index < scalars.count, scalars[index] == ":" {
            guard let s = number(scalars, index + 1, 2) else { return nil }
            second = s
            index += 3
        }
        let rest = String(scalars[index...])
        let zone: TimeZone
        if rest == "Z" || rest == " UTC" || rest == " Z" {
            zone = TimeZone(identifier: "UTC")!
        } else if let offset = offsetSeconds(rest) {
            guard let z = TimeZone(secondsFromGMT: offset) else { return nil }
            zone = z
        } else if rest.hasPrefix(" "), rest.count > 1, let z = TimeZone(identifier: String(rest.dropFirst())), rest.contains("/") || rest == " UTC" {
            zone = z
        } else {
            return nil
        }
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: components),
              calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date) == DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
        else { return nil } // 31 February, or a local time skipped by a DST change
        return SessionEnd(date: date, timeZone: zone, text: text)
    }

    /// Why `raw` is no session end and how to write it; for a legacy display text such as
    /// "Friday 4 December 2026, 17:00 CET" it suggests the exact replacement when it can read it.
    public static func problem(_ raw: String, name: String = "session_end") -> String {
        var message = "\(name) \"\(raw)\" is not a point in time labctl can use; write it as \"2026-12-04T17:00:00+01:00\" (RFC 3339 with the offset) or \"2026-12-04 17:00 Europe/Berlin\" (a local time and its zone)"
        if let guess = legacyGuess(raw) {
            message += ", here: \(name) = \"\(guess.text)\" (the sheets then show \"\(guess.human)\")"
        } else {
            message += "; the sheets show it in words themselves"
        }
        return message + "."
    }

    /// The same instant `by` later, given in the same zone.
    public func adding(_ seconds: TimeInterval) -> Date { date.addingTimeInterval(seconds) }

    /// Formats an instant in `zone` as RFC 3339 with that zone's offset (what `create-config`/`extend` write).
    public static func rfc3339(_ date: Date, in zone: TimeZone) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = zone
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    public static func utcRFC3339(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")!
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    /// `Friday 4 December 2026, 17:00 CET`; zones without an abbreviation show `UTC+01:00`.
    public static func human(_ date: Date, in zone: TimeZone) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = "EEEE d MMMM yyyy, HH:mm"
        return f.string(from: date) + " " + zoneLabel(zone, at: date)
    }

    /// `2026-12-04 18:00:00 UTC`: a systemd calendar event (the dead-man timer's `OnCalendar=`).
    public static func systemdCalendar(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")!
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f.string(from: date) + " UTC"
    }

    static func zoneLabel(_ zone: TimeZone, at date: Date) -> String {
        let offset = zone.secondsFromGMT(for: date)
        if zone.identifier == "UTC" || zone.identifier == "GMT" { return "UTC" }
        if zone.identifier.contains("/") {
            // ICU knows the common abbreviations per locale; en_GB names Europe's (CET, CEST),
            // where TimeZone.abbreviation on Linux only says "GMT+1".
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_GB")
            f.timeZone = zone
            f.dateFormat = "zzz"
            let abbreviation = f.string(from: date)
            if abbreviation.first?.isLetter == true, !abbreviation.hasPrefix("GMT"), !abbreviation.hasPrefix("UTC") { return abbreviation }
        }
        if offset == 0 { return "UTC" }
        let sign = offset < 0 ? "-" : "+"
        let a = abs(offset)
        return String(format: "UTC%@%02d:%02d", sign, a / 3600, (a % 3600) / 60)
    }

    private static func number(_ s: [Character], _ start: Int, _ length: Int) -> Int? {
        guard start + length <= s.count else { return nil }
        let part = s[start..<start + length]
        guard part.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(String(part))
    }

    /// `+01:00`, `-0530` → seconds east of UTC.
    private static func offsetSeconds(_ s: String) -> Int? {
        let c = Array(s)
        guard c.count == 6 || c.count == 5, c[0] == "+" || c[0] == "-" else { return nil }
        let digits = c.dropFirst().filter { $0 != ":" }
        guard digits.count == 4, c.count == 5 || c[3] == ":", let hh = Int(String(digits.prefix(2))), let mm = Int(String(digits.suffix(2))),
              hh <= 14, mm < 60 else { return nil }
        return (c[0] == "-" ? -1 : 1) * (hh * 3600 + mm * 60)
    }

    /// Reads the display text older tfvars carried ("Friday 4 December 2026, 17:00 CET").
    private static func legacyGuess(_ raw: String) -> SessionEnd? {
        let zones = ["CET": "Europe/Berlin", "CEST": "Europe/Berlin", "UTC": "UTC", "GMT": "Europe/London", "BST": "Europe/London",
                     "WET": "Europe/Lisbon", "WEST": "Europe/Lisbon", "EET": "Europe/Helsinki", "EEST": "Europe/Helsinki"]
        let words = raw.trimmingCharacters(in: .whitespaces).split(separator: " ")
        guard let last = words.last, let identifier = zones[String(last)], let zone = TimeZone(identifier: identifier) else { return nil }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        for format in ["EEEE d MMMM yyyy, HH:mm", "d MMMM yyyy, HH:mm", "EEEE, d MMMM yyyy, HH:mm", "yyyy-MM-dd HH:mm"] {
            f.dateFormat = format
            if let date = f.date(from: words.dropLast().joined(separator: " ")) {
                f.dateFormat = "yyyy-MM-dd HH:mm"
                return SessionEnd(date: date, timeZone: zone, text: "\(f.string(from: date)) \(identifier)")
            }
        }
        return nil
    }
}

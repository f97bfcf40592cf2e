import Foundation
import GRDB

/// Dates as GRDB stores them ("yyyy-MM-dd HH:mm:ss.SSS", UTC, milliseconds
/// rounded to the nearest, halves up), written by hand: GRDB's default goes through a Foundation
/// DateFormatter, which cost ~7 % of the intake writer's time per submission.
/// The text must stay byte-identical to GRDB's (migrations, SQL date
/// comparisons and other readers rely on it); `StoredDateTests` checks that.
enum StoredDate {
    static func string(_ date: Date) -> String {
        // Before the Gregorian reform the formatter writes Julian dates: leave those to it.
        guard date.timeIntervalSince1970 >= -12_219_292_800 else { return String.fromDatabaseValue(date.databaseValue) ?? "" }
        // The same arithmetic as the formatter: milliseconds since 1970, rounded to the nearest, halves up.
        let millis = Int64(((date.timeIntervalSinceReferenceDate + Date.timeIntervalBetween1970AndReferenceDate) * 1000 + 0.5).rounded(.down))
        let msPerDay: Int64 = 86_400_000
        var days = millis / msPerDay
        var rest = millis % msPerDay
        if rest < 0 { rest += msPerDay; days -= 1 }
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        var out = [UInt8]()
        out.reserveCapacity(23)
        func put(_ value: Int64, _ width: Int) {
            var digits = [UInt8](repeating: 0x30, count: width)
            var v = value
            for i in stride(from: width - 1, through: 0, by: -1) { digits[i] = 0x30 + UInt8(v % 10); v /= 10 }
            out.append(contentsOf: digits)
        }
        put(year, 4); out.append(0x2D); put(month, 2); out.append(0x2D); put(day, 2); out.append(0x20)
        put(rest / 3_600_000, 2); out.append(0x3A); put(rest / 60_000 % 60, 2); out.append(0x3A)
        put(rest / 1000 % 60, 2); out.append(0x2E); put(rest % 1000, 3)
        return String(decoding: out, as: UTF8.self)
    }

    /// For records written on the intake's hot path (`databaseDateEncodingStrategy`).
    static let encoding = DatabaseDateEncodingStrategy.custom { string($0) }
}

// Records the intake writer inserts for every submission.
extension ParticipantRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoredDate.encoding }
}
extension KeyRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoredDate.encoding }
}
extension AuditEntry {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoredDate.encoding }
}
extension ParticipantTokenRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoredDate.encoding }
}

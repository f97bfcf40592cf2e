/// RFC 4180 CSV: CRLF line ends, a field is quoted when it holds a comma, a quote,
/// CR or LF (or starts/ends with a space), and quotes inside are doubled.
///
/// A cell a spreadsheet would run as a formula is neutralised first (OWASP "CSV
/// injection"): a participant types their own display name, and `=HYPERLINK(…)` must
/// open as text in the trainer's Excel or LibreOffice, not as a live formula.
public enum CSVWriter {
    public static func render(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    static func field(_ raw: String) -> String {
        let value = neutralised(raw)
        let needsQuotes = value.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
            || value.first == " " || value.last == " "
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The first characters that make Excel, LibreOffice or Google Sheets read a cell as a formula.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// `'` before a cell that starts like a formula: spreadsheets show the rest as text
    /// (and hide the quote). Every such cell, also `-` alone and negative numbers: the
    /// participant table has no numeric columns (IPs, names, fingerprints, yes/no, an
    /// empty cell for "none"), and "looks like a number" is how `-1+cmd|…` slips through.
    /// A script reading the CSV sees the quote: it is part of the cell.
    static func neutralised(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, formulaStarts.contains(first) else { return value }
        return "'" + value
    }
}

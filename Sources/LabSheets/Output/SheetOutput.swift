/// What `labctl sheets` writes: per-participant files and the session-wide ones.
public enum SheetOutput: String, CaseIterable, Sendable {
    /// `<name>.txt`
    case txt
    /// `<name>.md`
    case md
    /// `<name>.html`, plus `sheets-<session>.html` (all sheets, one printed page each) and `index.html` (the overview)
    case html
    /// `<name>.eml`
    case eml
    /// `participants-<session>.csv`
    case csv

    /// `all` or one format name.
    public static func parse(_ text: String) -> [SheetOutput]? {
        text == "all" ? allCases : SheetOutput(rawValue: text).map { [$0] }
    }
}

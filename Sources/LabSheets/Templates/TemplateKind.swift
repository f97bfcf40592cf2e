/// The templates labctl renders, each a file in `mail-templates/`.
public enum TemplateKind: String, CaseIterable, Sendable {
    case sheetText = "sheet.txt"
    case sheetMarkdown = "sheet.md"
    case sheetHTML = "sheet.html"
    case mailSubject = "mail-subject.txt"
    case mailText = "mail-body.txt"
    case mailHTML = "mail-body.html"
    case overview = "overview.html"

    /// The file name in `mail-templates/`; the part before `.mustache` is also the partial name.
    public var fileName: String { rawValue + ".mustache" }

    /// How `{{name}}` escapes values in this template (`{{{name}}}` never escapes).
    var escaping: TemplateEscaping {
        if rawValue.hasSuffix(".html") { return .html }
        if rawValue.hasSuffix(".md") { return .markdown }
        return .none
    }
}

/// How a template's `{{name}}` escapes values.
enum TemplateEscaping {
    case html, markdown, none

    /// The swift-mustache pragma that selects it (prefixed to the template text, on its first line).
    var pragma: String {
        switch self {
        case .html: return "{{% CONTENT_TYPE: HTML}}"
        case .markdown: return "{{% CONTENT_TYPE: \(MarkdownContentType.name)}}"
        case .none: return "{{% CONTENT_TYPE: TEXT}}"
        }
    }
}

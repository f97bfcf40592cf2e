import Mustache

/// `{{name}}` in Markdown templates: backslash-escapes what Markdown would turn into
/// markup or raw HTML (a display name `<script>` stays text). Inside code blocks use
/// `{{{name}}}`, where backslashes would show.
struct MarkdownContentType: MustacheContentType {
    static let name = "MARKDOWN"
    static let special: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "#"]

    func escapeText(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            if Self.special.contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// Registers the type with swift-mustache once per process.
    static let registered: Void = MustacheContentTypes.register(MarkdownContentType(), named: name)
}

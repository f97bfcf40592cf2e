import Foundation
import Mustache

/// The trainer-editable templates of `mail-templates/`, parsed and checked once.
/// Each `<kind>.mustache` file is also a partial: `{{> sheet.txt}}`.
public struct TemplateSet: Sendable {
    let library: MustacheLibrary

    /// Loads every template of `TemplateKind` from `directory`. `displayPath` names the
    /// folder in messages (e.g. `mail-templates`). Fails on the first missing file, syntax
    /// error or unknown variable, naming the file and line.
    public init(directory: URL, displayPath: String) throws(TemplateError) {
        _ = MarkdownContentType.registered
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .missingDirectory(displayPath)
        }
        var library = MustacheLibrary()
        for kind in TemplateKind.allCases {
            let url = directory.appendingPathComponent(kind.fileName)
            let file = "\(displayPath)/\(kind.fileName)"
            guard FileManager.default.fileExists(atPath: url.path) else { throw .missingTemplate(file: file) }
            let text: String
            do { text = try String(contentsOf: url, encoding: .utf8) } catch {
                throw .unreadable(file: file, reason: "not UTF-8 text or not readable")
            }
            library.register(try Self.parse(text, kind: kind, file: file), named: kind.rawValue)
        }
        self.library = library
    }

    /// Parses one template. The escaping pragma goes on a line of its own before the
    /// template (a standalone tag renders nothing); line numbers are corrected for it.
    static func parse(_ text: String, kind: TemplateKind, file: String) throws(TemplateError) -> MustacheTemplate {
        let pragma = kind.escaping.pragma
        let template: MustacheTemplate
        do {
            template = try MustacheTemplate(string: pragma + "\n" + text)
        } catch let error as MustacheTemplate.ParserError {
            throw .syntax(file: file, line: max(1, error.context.lineNumber - 1), column: max(1, error.context.columnNumber),
                          reason: Self.explain(error.error))
        } catch {
            throw .syntax(file: file, line: 1, column: 1, reason: "\(error)")
        }
        try TemplateLint.check(text, file: file)
        return template
    }

    func render(_ kind: TemplateKind, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: kind.rawValue) ?? ""
    }

    static func explain(_ error: Error) -> String {
        guard let e = error as? MustacheTemplate.Error else { return "\(error)" }
        switch e {
        case .sectionCloseNameIncorrect: return "this closing tag {{/…}} does not match the section opened before it"
        case .unfinishedName: return "a tag is not closed with }}, or its name has characters a name cannot have"
        case .expectedSectionEnd: return "a section {{#…}} or {{^…}} is never closed with {{/…}}"
        case .invalidSetDelimiter: return "the set-delimiter tag {{=… …=}} is malformed"
        case .transformAppliedToInheritanceSection: return "a transform cannot be applied to an inheritance section"
        case .illegalTokenInsideInheritSection: return "only block tags {{$…}} may appear inside a partial's inheritance section"
        case .textInsideInheritSection: return "text is not allowed inside a partial's inheritance section"
        case .invalidConfigVariableSyntax: return "the pragma {{% …}} is malformed"
        case .unrecognisedConfigVariable: return "unknown pragma {{% …}}"
        }
    }
}

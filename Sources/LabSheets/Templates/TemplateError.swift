/// Why the templates cannot be used; each message names the file (and line), the reason and the fix.
public enum TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingDirectory(String)
    case missingTemplate(file: String)
    case unreadable(file: String, reason: String)
    case syntax(file: String, line: Int, column: Int, reason: String)
    case unknownVariable(file: String, line: Int, name: String, suggestion: String?)
    case unknownPartial(file: String, line: Int, name: String)

    public var description: String {
        switch self {
        case .missingDirectory(let path):
            return "\(path) does not exist; copy the repository's mail-templates/ folder into the lab directory, or pass --templates DIR."
        case .missingTemplate(let file):
            return "\(file) is missing; every template listed in mail-templates/README.md is needed (copy it back from the repository)."
        case let .unreadable(file, reason):
            return "cannot read \(file): \(reason)."
        case let .syntax(file, line, column, reason):
            return "\(file):\(line):\(column): \(reason); fix the tag there (the syntax is in mail-templates/README.md)."
        case let .unknownVariable(file, line, name, suggestion):
            let hint = suggestion.map { " Did you mean {{\($0)}}?" } ?? ""
            return "\(file):\(line): unknown variable '\(name)'; the variables are listed in mail-templates/README.md.\(hint)"
        case let .unknownPartial(file, line, name):
            let names = TemplateKind.allCases.map(\.rawValue).joined(separator: ", ")
            return "\(file):\(line): unknown partial '{{> \(name)}}'; a partial names another template: \(names)."
        }
    }
}

/// Validates a session name: it becomes a Terraform workspace, a file name
/// (`sessions/<name>.tfvars`) and part of every AWS resource name.
public enum SessionName {
    public static let maximumLength = 40

    public static func validate(_ name: String) throws(SessionNameError) {
        guard !name.isEmpty else { throw .invalid(name) }
        guard name.count <= maximumLength else { throw .invalid(name) }
        let ok = name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        guard ok, name.first != "-", name.last != "-" else { throw .invalid(name) }
    }
}

public enum SessionNameError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(String)
    public var description: String {
        if case .invalid(let name) = self {
            return "'\(name)' is not a valid session name: use 1–\(SessionName.maximumLength) lower-case letters, digits and inner hyphens (e.g. session-1, k8s-2026-11)."
        }
        return ""
    }
}

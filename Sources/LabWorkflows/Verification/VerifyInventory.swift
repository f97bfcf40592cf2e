import Foundation

/// `--inventory FILE` (verify, assign, `serve --spare-inventory`):
/// `{"<discrete id>": {"host": "127.0.0.1", "port": 22022}, …}`; replaces the addresses
/// recorded from Terraform's outputs (rehearsals, tests). A missing port is 22.
public enum VerifyInventory {
    struct Entry: Decodable {
        var host: String
        var port: Int?
    }

    /// The addresses in `path` (relative to the current directory); a file that cannot be
    /// read or is not an inventory is a usage error saying what to pass instead.
    public static func load(_ path: String) throws -> [String: VerifySession.Address] {
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw WorkflowError.usage("\(path): cannot read the inventory (no such file or not readable).\n  Pass a JSON file like {\"john.do\": {\"host\": \"127.0.0.1\", \"port\": 22022}}, or leave --inventory out to use the addresses `labctl output` recorded.")
        }
        let entries: [String: Entry]
        do {
            entries = try JSONDecoder().decode([String: Entry].self, from: data)
        } catch {
            throw WorkflowError.usage("\(path): not a valid inventory (\(describe(error))).\n  Expected a JSON object keyed by discrete id: {\"john.do\": {\"host\": \"127.0.0.1\", \"port\": 22022}}.")
        }
        var addresses: [String: VerifySession.Address] = [:]
        for (id, e) in entries {
            if e.host.isEmpty { throw WorkflowError.usage("\(path): \(id) has an empty host; give the master's address, e.g. \"host\": \"127.0.0.1\".") }
            if let p = e.port, !(1...65535).contains(p) { throw WorkflowError.usage("\(path): \(id) has port \(p); use 1–65535.") }
            addresses[id] = VerifySession.Address(host: e.host, port: e.port ?? 22)
        }
        return addresses
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c): return c.underlyingError.map { "\($0.localizedDescription)" } ?? c.debugDescription
        case DecodingError.keyNotFound(let k, let c): return "missing \"\(k.stringValue)\" at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let c): return "wrong type at \(c.codingPath.map(\.stringValue).joined(separator: ".")): \(c.debugDescription)"
        default: return "\(error)"
        }
    }
}

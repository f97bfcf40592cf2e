import Foundation

/// `--inventory FILE`: `{"<discrete id>": {"host": "127.0.0.1", "port": 22022}, …}`;
/// replaces the addresses recorded from Terraform's outputs (rehearsals, tests).
struct VerifyInventory {
    struct Address: Decodable, Equatable {
        var host: String
        var port: Int?
    }

    var addresses: [String: Address]

    static func load(_ path: String, lab: Lab) throws -> VerifyInventory {
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw LabFailure.usage("\(path): cannot read the inventory (no such file or not readable).\n  Pass a JSON file like {\"john.do\": {\"host\": \"127.0.0.1\", \"port\": 22022}}, or leave --inventory out to use the addresses `labctl output` recorded.")
        }
        do {
            let addresses = try JSONDecoder().decode([String: Address].self, from: data)
            for (id, a) in addresses {
                if a.host.isEmpty { throw LabFailure.usage("\(path): \(id) has an empty host.") }
                if let p = a.port, !(1...65535).contains(p) { throw LabFailure.usage("\(path): \(id) has port \(p); use 1–65535.") }
            }
            return VerifyInventory(addresses: addresses)
        } catch let failure as LabFailure {
            throw failure
        } catch {
            throw LabFailure.usage("\(path): not a valid inventory (\(Self.describe(error))).\n  Expected a JSON object keyed by discrete id: {\"john.do\": {\"host\": \"127.0.0.1\", \"port\": 22022}}.")
        }
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

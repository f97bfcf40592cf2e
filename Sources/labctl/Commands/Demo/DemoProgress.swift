import Foundation

/// One line per demo step: "▸ what…" then "✓ what (12.3 s): detail".
struct DemoProgress {
    private var current: (title: String, started: Date)?
    private var number = 0

    /// Every C stream: Glibc's `stdout` is a mutable global that Swift 6 refuses to touch.
    private func flush() { fflush(nil) }

    mutating func begin(_ title: String) {
        number += 1
        current = (title, Date())
        Swift.print("\n[\(number)] \(title) …")
        flush()
    }

    mutating func end(_ detail: String) {
        guard let (_, started) = current else { return }
        Swift.print("    \(Terminal.green(Terminal.ok)) \(String(format: "%.1f s", Date().timeIntervalSince(started))): \(detail)")
        flush()
        current = nil
    }

    mutating func fail() {
        guard let (title, started) = current else { return }
        Swift.print("    \(Terminal.red(Terminal.bad)) \(title) failed after \(String(format: "%.1f s", Date().timeIntervalSince(started)))")
        flush()
        current = nil
    }
}

/// What the demo learnt along the way, for its summary.
struct DemoFacts {
    var motoEndpoint = ""
    /// What points Terraform at the emulator (dummy credentials, endpoint).
    var emulatorEnvironment: [String: String] = [:]
    var intakeURL = ""
    var viaWeb = 0
    var viaFiles = 0
    var masters = 0
    var loginUser = ""
    var resources: [(String, (resources: Int, instances: Int))] = []
    var verification: [String: [DemoVerification]] = [:]
    var cost = ""
}

/// One master's line of `labctl verify --json`.
struct DemoVerification {
    var participant: String
    var host: String
    var ready: Bool
    var checks: [String: String]
    var nodes: String

    static func parse(_ json: String) -> [DemoVerification] {
        guard let array = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] else { return [] }
        return array.map { item in
            let checks = (item["checks"] as? [String: Any] ?? [:]).compactMapValues { ($0 as? [String: Any])?["status"] as? String }
            let nodes = (item["nodes"] as? [String: Any]).map { "\($0["ready"] ?? "?")/\($0["expected"] ?? "?")" } ?? "-"
            return DemoVerification(participant: item["discrete_id"] as? String ?? "?",
                                    host: "\(item["host"] ?? "?"):\(item["port"] ?? "?")",
                                    ready: item["ready"] as? Bool ?? false, checks: checks, nodes: nodes)
        }
    }
}

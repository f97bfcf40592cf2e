import Foundation
import LabCore
import LabWorkflows

/// What `DemoRun` reports while it runs; `labctl demo` prints one line per event.
public enum DemoEvent: Sendable, Equatable {
    /// A line of its own (the opening lines; "" before a step whose children print).
    case note(String)
    /// A step begins: its title.
    case stepStarted(String)
    /// The current step ended well: what it did.
    case stepFinished(String)
    /// The current step failed (the error follows as the thrown `WorkflowError`).
    case stepFailed
}

/// A finished rehearsal, for the closing summary.
public struct DemoReport: Sendable {
    public let plan: DemoPlan
    public let labDir: URL
    public let started: Date
    public let facts: DemoFacts
    /// `--keep`: the intake service and the emulator still run, and demo-env.sh was written.
    public let keep: Bool
    /// The lab directory was removed (no --keep, no --dir).
    public let removeLabAtEnd: Bool
    /// One participant's text sheet, to point at.
    public let firstSheet: URL?

    public var sessionNames: [String] { plan.sessions.map(\.name) }
}

/// What the demo learnt along the way, for its summary.
public struct DemoFacts: Sendable {
    public var motoEndpoint = ""
    /// What points Terraform at the emulator (dummy credentials, endpoint).
    public var emulatorEnvironment: [String: String] = [:]
    public var intakeURL = ""
    public var viaWeb = 0
    public var viaFiles = 0
    public var masters = 0
    public var loginUser = ""
    public var resources: [(String, (resources: Int, instances: Int))] = []
    public var verification: [String: [DemoVerification]] = [:]
    public var cost = ""
}

/// One master's line of `labctl verify --json`.
public struct DemoVerification: Sendable {
    public var discreteID: String
    public var host: String
    public var ready: Bool
    public var checks: [String: String]
    public var nodes: String

    public static func parse(_ json: String) -> [DemoVerification] {
        guard let reports = try? JSONDecoder().decode([Report].self, from: Data(json.utf8)) else { return [] }
        return reports.map { r in
            DemoVerification(discreteID: r.discrete_id, host: "\(r.host):\(r.port)", ready: r.ready,
                             checks: Dictionary(uniqueKeysWithValues: r.checks.results.map { ($0.key.rawValue, $0.value.status.rawValue) }),
                             nodes: r.nodes.map { "\($0.ready.map(String.init) ?? "?")/\($0.expected)" } ?? "-")
        }
    }

    /// The fields of one `verify --json` element the demo shows; `checks` is LabCore's own `CheckSet`.
    private struct Report: Decodable {
        struct Nodes: Decodable { var ready: Int?; var expected: Int }
        var discrete_id: String
        var host: String
        var port: Int
        var ready: Bool
        var checks: CheckSet
        var nodes: Nodes?
    }
}

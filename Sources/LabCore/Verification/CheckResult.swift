/// The readiness checks run on every master, in the order they run.
public enum CheckName: String, CaseIterable, Codable, Sendable, CodingKey {
    case tcp
    case hostkey
    case auth
    case participantKey = "participant-key"
    case cloudInit = "cloud-init"
    case kubeadm
}

/// One check's outcome: `pending` is expected to turn `pass` by itself (cloud-init
/// still running, nodes joining); `fail` needs a person; `skipped` was not attempted.
public enum CheckStatus: String, Codable, Sendable {
    case pass, pending, fail, skipped
}

/// A check's status with a one-line reason.
public struct CheckResult: Codable, Equatable, Sendable {
    public var status: CheckStatus
    public var reason: String?

    public init(_ status: CheckStatus, _ reason: String?) {
        self.status = status
        self.reason = reason
    }

    public static func pass(_ reason: String?) -> CheckResult { CheckResult(.pass, reason) }
    public static func pending(_ reason: String) -> CheckResult { CheckResult(.pending, reason) }
    public static func fail(_ reason: String) -> CheckResult { CheckResult(.fail, reason) }
    public static func skipped(_ reason: String) -> CheckResult { CheckResult(.skipped, reason) }

    enum CodingKeys: String, CodingKey { case status, reason }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        try c.encode(reason, forKey: .reason) // always present, null when there is nothing to say
    }
}

/// The six checks of one master, encoded as the `checks` object of `labctl verify --json`.
public struct CheckSet: Codable, Equatable, Sendable {
    public private(set) var results: [CheckName: CheckResult]

    public init() { results = [:] }

    public subscript(name: CheckName) -> CheckResult {
        get { results[name] ?? .skipped("not attempted") }
        set { results[name] = newValue }
    }

    /// Sets every check that has no result yet.
    public mutating func fillUnset(_ result: CheckResult) {
        for name in CheckName.allCases where results[name] == nil { results[name] = result }
    }

    public var allPass: Bool { CheckName.allCases.allSatisfy { self[$0].status == .pass } }

    /// The first check that is not `pass`, for one-line summaries.
    public var firstProblem: (CheckName, CheckResult)? {
        CheckName.allCases.lazy.map { ($0, self[$0]) }.first { $0.1.status != .pass }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CheckName.self)
        results = [:]
        for name in CheckName.allCases { results[name] = try c.decodeIfPresent(CheckResult.self, forKey: name) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CheckName.self)
        for name in CheckName.allCases { try c.encode(self[name], forKey: name) }
    }
}

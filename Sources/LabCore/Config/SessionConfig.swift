/// The part of `sessions/<name>.tfvars` labctl reads itself; everything
/// else in the file is handed to Terraform unchanged.
public struct SessionConfig: Equatable, Sendable {
    public var sessionName: String
    public var region: String = "eu-west-1"
    public var masterInstanceType: String = "t3.medium"
    public var workerInstanceType: String = "t3.small"
    public var workerCount: Int = 1
    public var kubernetesVersion: String = SessionConfigTemplate.defaultKubernetesVersion
    /// Empty unless the file names sources: Terraform then opens no SSH, and `labctl apply` refuses.
    public var allowedSSHCIDRs: [String] = []
    /// `unlimited` or `standard` (T-family burst credits), as Terraform's `cpu_credits`; its default.
    public var cpuCredits: String = "unlimited"
    public var allowedAPICIDRs: [String] = []
    /// Spare clusters built without a participant, for late joiners (`labctl assign`).
    public var spares: Int = 0
    /// Participants the session takes at most (`max_participants`): a leaked join link cannot drain the lab's pod networks.
    public var maxParticipants: Int = SessionConfig.defaultMaxParticipants
    /// All assignments as read, for passing through and for `file:line` messages.
    public var values: [String: TFValue] = [:]
    /// `session_end` and `shutdown_grace`.
    public var lifetime = SessionLifetime()

    public init(sessionName: String) { self.sessionName = sessionName }

    /// Reads a tfvars text; `fileName` names the file in messages and gives the expected session name.
    public static func parse(_ text: String, file: String, expectedSession: String?) throws(SessionConfigError) -> SessionConfig {
        let assignments: [TFVarsReader.Assignment]
        do { assignments = try TFVarsReader.read(text, file: file) } catch { throw .syntax(error) }
        var byName: [String: TFVarsReader.Assignment] = [:]
        for a in assignments { byName[a.name] = a }

        func string(_ key: String) throws(SessionConfigError) -> String? {
            guard let a = byName[key] else { return nil }
            guard let s = a.value.stringValue else { throw .wrongType(file: file, line: a.line, name: key, expected: "a string") }
            return s
        }
        func strings(_ key: String) throws(SessionConfigError) -> [String]? {
            guard let a = byName[key] else { return nil }
            guard let list = a.value.listValue, list.allSatisfy({ $0.stringValue != nil }) else {
                throw .wrongType(file: file, line: a.line, name: key, expected: "a list of strings")
            }
            return list.compactMap(\.stringValue)
        }

        let name = try string("session_name") ?? expectedSession ?? ""
        var config = SessionConfig(sessionName: name)
        if let expected = expectedSession, name != expected {
            throw .nameMismatch(file: file, line: byName["session_name"]?.line ?? 1, inFile: name, expected: expected)
        }
        config.region = try string("region") ?? config.region
        config.masterInstanceType = try string("master_instance_type") ?? config.masterInstanceType
        config.workerInstanceType = try string("worker_instance_type") ?? config.workerInstanceType
        config.kubernetesVersion = try string("kubernetes_version") ?? config.kubernetesVersion
        config.allowedSSHCIDRs = try strings("allowed_ssh_cidrs") ?? config.allowedSSHCIDRs
        config.allowedAPICIDRs = try strings("allowed_api_cidrs") ?? config.allowedAPICIDRs
        config.cpuCredits = try string("cpu_credits") ?? config.cpuCredits
        if !["standard", "unlimited"].contains(config.cpuCredits) {
            throw .wrongType(file: file, line: byName["cpu_credits"]?.line ?? 1, name: "cpu_credits", expected: "\"standard\" or \"unlimited\"")
        }
        if let a = byName["worker_count"] {
            guard let n = a.value.intValue, (0...20).contains(n) else {
                throw .wrongType(file: file, line: a.line, name: "worker_count", expected: "a whole number from 0 to 20")
            }
            config.workerCount = n
        }
        if let a = byName["spares"] {
            guard let n = a.value.intValue, (0...Self.maximumSpares).contains(n) else {
                throw .wrongType(file: file, line: a.line, name: "spares", expected: "a whole number from 0 to \(Self.maximumSpares)")
            }
            config.spares = n
        }
        if let a = byName["max_participants"] {
            guard let n = a.value.intValue, (1...Self.maximumParticipantCap).contains(n) else {
                throw .wrongType(file: file, line: a.line, name: "max_participants", expected: "a whole number from 1 to \(Self.maximumParticipantCap)")
            }
            config.maxParticipants = n
        }
        for key in ["master_instance_type", "worker_instance_type"] {
            let value = key == "master_instance_type" ? config.masterInstanceType : config.workerInstanceType
            if !InstanceType.isWellFormed(value) {
                throw .badInstanceType(file: file, line: byName[key]?.line ?? 1, name: key, value: value)
            }
        }
        config.values = Dictionary(assignments.map { ($0.name, $0.value) }, uniquingKeysWith: { _, b in b })
        config.lifetime = try SessionLifetime.read(byName.mapValues { ($0.value, $0.line) }, file: file)
        return config
    }

    /// Spares per session: each is a full cluster that costs like a participant's.
    public static let maximumSpares = 50

    /// Warnings a trainer should see before applying.
    public var warnings: [String] {
        if allowedSSHCIDRs.isEmpty {
            return ["\(sessionName): allowed_ssh_cidrs is empty, so no SSH rule is made and `labctl apply` refuses the session; add the training room's public range."]
        }
        return SSHSources.opensToEveryone(allowedSSHCIDRs)
            ? ["\(sessionName): allowed_ssh_cidrs contains \(SSHSources.everyone(in: allowedSSHCIDRs).joined(separator: ", ")), so the whole internet can try SSH; narrow it to the training room's address."]
            : []
    }
}

/// EC2 instance type names: `family.size`, e.g. `t3.medium`, `m7g.2xlarge`.
public enum InstanceType {
    public static func isWellFormed(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let family = parts.first, let first = family.first, first.isASCII, first.isLowercase else { return false }
        let allowed: (Character) -> Bool = { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
        return family.allSatisfy(allowed) && !parts[1].isEmpty && parts[1].allSatisfy(allowed)
    }
}

public enum SessionConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    case syntax(TFVarsError)
    case wrongType(file: String, line: Int, name: String, expected: String)
    case nameMismatch(file: String, line: Int, inFile: String, expected: String)
    case badInstanceType(file: String, line: Int, name: String, value: String)

    public var description: String {
        switch self {
        case .syntax(let e): return e.description
        case let .wrongType(file, line, name, expected): return "\(file):\(line): \(name) must be \(expected)."
        case let .nameMismatch(file, line, inFile, expected):
            return "\(file):\(line): session_name is \"\(inFile)\" but the file is for session \"\(expected)\"; make them equal (rename the file or fix session_name)."
        case let .badInstanceType(file, line, name, value):
            return "\(file):\(line): \(name) \"\(value)\" is not an EC2 instance type (family.size, e.g. t3.medium)."
        }
    }
}

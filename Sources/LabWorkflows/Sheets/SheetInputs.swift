import Foundation
import LabCore
import LabSheets
import LabStore

/// Gathers what the sheets show from the registry (participants, Terraform's outputs,
/// pinned host keys, the latest verification) and `sessions/<s>.tfvars`, into
/// LabSheets' plain view models.
public struct SheetInputs: Sendable {
    public var session: SheetSession
    /// Every selected participant, in name order.
    public var participants: [SheetParticipant]
    /// Registry ids by participant name, for delivery records.
    public var participantIDs: [String: Int64]
    /// Notes for the terminal (a missing tfvars file).
    public var notes: [String] = []

    /// Optional tfvars variables labctl reads for the sheets (Terraform ignores them).
    public static let tfvarsKeys = (end: "session_end", trainerName: "trainer_name", trainerEmail: "trainer_email")

    /// Overrides from the command line win over the tfvars values.
    public struct Overrides: Sendable {
        public var sessionEnd: String?
        public var trainerName: String?
        public var trainerEmail: String?
        public init(sessionEnd: String? = nil, trainerName: String? = nil, trainerEmail: String? = nil) {
            self.sessionEnd = sessionEnd
            self.trainerName = trainerName
            self.trainerEmail = trainerEmail
        }
    }

    /// `sessionFile` is `sessions/<name>.tfvars`, shown in messages as `fileShown`.
    public static func gather(registry: Registry, session name: String, sessionFile file: URL, fileShown: String,
                              only: [String] = [], overrides: Overrides = Overrides(), now: Date = Date()) throws -> SheetInputs {
        var notes: [String] = []
        var config = SessionConfig(sessionName: name)
        if let text = try? String(contentsOf: file, encoding: .utf8) {
            config = try SessionConfig.parse(text, file: fileShown, expectedSession: name)
        } else {
            notes.append("\(fileShown) not found: the sheets say Kubernetes \(config.kubernetesVersion) (the default) and name no trainer.")
        }
        func string(_ key: String) throws -> String? {
            guard let value = config.values[key] else { return nil }
            guard let s = value.stringValue else {
                throw WorkflowError.usage("\(fileShown): \(key) must be a string (e.g. \(key) = \"…\").")
            }
            return s.isEmpty ? nil : s
        }
        let end = try SheetEnd.resolve(override: overrides.sessionEnd, lifetime: config.lifetime)
        let session = SheetSession(
            name: name,
            endTime: end.endTime,
            trainerName: try overrides.trainerName ?? string(tfvarsKeys.trainerName),
            trainerEmail: try overrides.trainerEmail ?? string(tfvarsKeys.trainerEmail),
            kubernetesVersion: config.kubernetesVersion, generatedAt: now, switchOffTime: end.switchOff)

        var participants = try registry.participants(in: name)
        guard !participants.isEmpty else {
            throw WorkflowError.notOK("no participants in session \(name); add them with `labctl keys import \(name)` or `labctl keys add \(name) …`.")
        }
        if !only.isEmpty {
            let known = Set(participants.map(\.name))
            if let unknown = only.first(where: { !known.contains($0) }) {
                throw WorkflowError.usage("--participant \(unknown): no such participant in \(name); see `labctl keys list \(name)`.")
            }
            participants = participants.filter { only.contains($0.name) }
        }
        let clusters = Dictionary(try registry.clusters(session: name).map { ($0.discreteID, $0) }, uniquingKeysWith: { a, _ in a })
        let hostKeys = Dictionary(grouping: try registry.hostKeys(session: name), by: \.discreteID)
        let verifications = Dictionary(try registry.verifications(session: name).map { ($0.discreteID, $0) }, uniquingKeysWith: { a, _ in a })

        let models = participants.map { p -> SheetParticipant in
            let cluster = clusters[p.discreteID]
            let verification = verifications[p.discreteID]
            return SheetParticipant(
                name: p.name, displayName: p.record.displayName, email: p.record.email, discreteID: p.discreteID,
                masterPublicIP: cluster?.masterPublicIP, workerPublicIPs: cluster?.workerPublicIPs ?? [],
                podCIDR: cluster?.podCIDR ?? p.podCIDR,
                hostKeys: (hostKeys[p.discreteID] ?? []).map {
                    $0.hostKey
                },
                ready: verification?.ready ?? false,
                checks: verification.map { ReadinessCheck.list($0.checks) } ?? [],
                nodesReady: verification?.nodesReady, nodesExpected: verification?.nodesExpected)
        }
        return SheetInputs(session: session, participants: models,
                           participantIDs: Dictionary(participants.map { ($0.name, $0.record.id!) }, uniquingKeysWith: { a, _ in a }),
                           notes: notes)
    }

    /// Why a participant gets no sheet, or nil when they get one.
    public static func skipReason(_ p: SheetParticipant, session: String, includeUnready: Bool) -> String? {
        if p.masterPublicIP == nil {
            return "no master address recorded yet; run `labctl apply \(session)` first"
        }
        if !p.ready && !includeUnready {
            let blocker = p.checks.first { !$0.passed }
            let why = blocker.map { "\($0.name): \($0.status)\($0.detail.isEmpty ? "" : " (\($0.detail))")" } ?? "never verified"
            return "master not verified ready (\(why)); run `labctl verify \(session)`, or pass --include-unready"
        }
        return nil
    }
}

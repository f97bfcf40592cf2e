import Foundation

/// What every sheet of one session shares: the session, its end, the trainer.
/// Filled by the CLI from the registry and `sessions/<s>.tfvars`; LabSheets never reads either.
public struct SheetSession: Equatable, Sendable {
    /// The session name, e.g. `session-1`; also the prefix of the `~/.ssh/config` host alias.
    public var name: String
    /// When the clusters are destroyed, as the trainer wrote it (free text, e.g. `2026-12-04 17:00 CET`).
    public var endTime: String?
    public var trainerName: String?
    public var trainerEmail: String?
    /// Kubernetes minor version the clusters run, e.g. `1.34`.
    public var kubernetesVersion: String
    /// When the sheets were made; shown on them and used for the mail's `Date`.
    public var generatedAt: Date

    public init(name: String, endTime: String? = nil, trainerName: String? = nil, trainerEmail: String? = nil,
                kubernetesVersion: String, generatedAt: Date = Date()) {
        self.name = name
        self.endTime = endTime
        self.trainerName = trainerName
        self.trainerEmail = trainerEmail
        self.kubernetesVersion = kubernetesVersion
        self.generatedAt = generatedAt
    }
}

import Foundation

/// What every sheet of one session shares: the session, its end, the trainer.
/// Filled by the CLI from the registry and `sessions/<s>.tfvars`; LabSheets never reads either.
public struct SheetSession: Equatable, Sendable {
    /// The session name, e.g. `session-1`; also the prefix of the `~/.ssh/config` host alias.
    public var name: String
    /// When the session ends, in words (`Friday 4 December 2026, 17:00 CET`).
    public var endTime: String?
    /// When the clusters switch themselves off and are deleted (end + grace), in words;
    /// nil for a session without an end: no sheet then promises a deletion.
    public var switchOffTime: String?
    public var trainerName: String?
    public var trainerEmail: String?
    /// Kubernetes minor version the clusters run, e.g. `1.34`.
    public var kubernetesVersion: String
    /// When the sheets were made; shown on them and used for the mail's `Date`.
    public var generatedAt: Date

    public init(name: String, endTime: String? = nil, trainerName: String? = nil, trainerEmail: String? = nil,
                kubernetesVersion: String, generatedAt: Date = Date(), switchOffTime: String? = nil) {
        self.switchOffTime = switchOffTime
        self.name = name
        self.endTime = endTime
        self.trainerName = trainerName
        self.trainerEmail = trainerEmail
        self.kubernetesVersion = kubernetesVersion
        self.generatedAt = generatedAt
    }
}

import Foundation
import LabCore

/// `labctl create-config <session>`: a new, commented `sessions/<session>.tfvars`. SSH is
/// never opened to the whole internet by default: without ranges given, the address the
/// trainer connects from (SSH_CONNECTION) is used when there is one, else it refuses.
public struct CreateSessionConfig: Sendable {
    public struct Request: Sendable {
        public var session: String
        public var workers = 1
        public var masterType = "t3.medium"
        public var workerType = "t3.small"
        public var region = "eu-west-1"
        /// Ranges allowed to reach SSH; empty: the suggestion from `environment`.
        public var sshFrom: [String] = []
        public var end: SessionEnd?
        public var spares = 0
        /// `max_participants`: past it joins answer `session-full`.
        public var maxParticipants = SessionConfig.defaultMaxParticipants
        /// Overwrite an existing file.
        public var force = false
        public var environment: [String: String] = ProcessInfo.processInfo.environment

        public init(session: String) { self.session = session }
    }

    public struct Outcome: Sendable {
        public var file: URL
        /// The ranges written.
        public var sshFrom: [String]
        /// Set when the range is the one SSH_CONNECTION suggested (no --ssh-from).
        public var suggested: String?
        public var opensToEveryone: Bool
    }

    public let files: LabFiles
    public init(files: LabFiles) { self.files = files }

    public func run(_ request: Request, now: Date = Date()) throws -> Outcome {
        let s = request.session
        try SessionName.validate(s)
        let suggested = request.sshFrom.isEmpty ? SSHSources.suggestion(environment: request.environment) : nil
        let sources = request.sshFrom.isEmpty ? suggested.map { [$0] } ?? [] : request.sshFrom
        guard !sources.isEmpty else { throw WorkflowError.usage(Self.missingSSHFrom(s)) }
        let url = files.sessionFile(s)
        if FileManager.default.fileExists(atPath: url.path), !request.force {
            throw WorkflowError.usage("\(files.display(url)) already exists; edit it, or pass --force to overwrite it.")
        }
        try FileManager.default.createDirectory(at: files.sessionsDirectory, withIntermediateDirectories: true)
        let date = ISO8601DateFormatter().string(from: now).prefix(10)
        let text = SessionConfigTemplate.render(session: s, workers: request.workers, masterType: request.masterType,
                                                workerType: request.workerType, region: request.region, sshFrom: sources, date: String(date),
                                                end: request.end, spares: request.spares, maxParticipants: request.maxParticipants)
        try AtomicFile.write(Data(text.utf8), to: url, permissions: 0o644)
        return Outcome(file: url, sshFrom: sources, suggested: suggested, opensToEveryone: SSHSources.opensToEveryone(sources))
    }

    /// No range given and none found offline: say how to give one.
    public static func missingSSHFrom(_ session: String) -> String {
        "create-config \(session): no SSH source range given (and no public address of yours found in SSH_CONNECTION to suggest), "
            + "and labctl does not open SSH to the whole internet by default. "
            + "Pass the training room's public address range with --ssh-from CIDR (repeatable), e.g. "
            + "`labctl create-config \(session) --ssh-from 203.0.113.0/24`."
    }
}

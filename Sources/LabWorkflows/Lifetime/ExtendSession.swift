import Foundation
import LabCore
import LabProvision
import LabStore

/// `labctl extend <session> --until T`: moves a session's end everywhere it lives —
/// `session_end` in the tfvars (what the sheets and `/me` show) and, by a Terraform
/// apply, the `ExpiresAt` and `ShutdownAt` tags. Each node reads its power-off time from
/// its own `ShutdownAt` tag every few minutes (terraform/session/templates/labctl-shutdown-at.sh),
/// so nothing here connects to a node: AWS credentials are enough, wherever labctl runs.
/// The apply is guarded like `labctl apply`'s: a plan that would replace clusters is refused.
public struct ExtendSession: Sendable, LabUseCase {
    public struct Request: Sendable {
        public var session: String
        public var until: SessionEnd
        /// false: the tfvars only (the tags follow at the next apply).
        public var applyTerraform = true
        /// Accept a plan that replaces clusters (pending changes besides the end).
        public var replaceClusters = false

        public init(session: String, until: SessionEnd) {
            self.session = session
            self.until = until
        }
    }

    public struct Outcome: Sendable {
        public var previousEnd: SessionEnd?
        public var end: SessionEnd
        /// When the nodes power off: end + grace, UTC, as their timers write it.
        public var shutdownAt: String
        /// nil when Terraform was not asked to run (or nothing is deployed).
        public var terraform: TerraformBatch.Outcome?
        public var ok: Bool { terraform?.ok ?? true }
    }

    public let context: LabContext
    public init(_ context: LabContext) { self.context = context }

    public func run(_ request: Request, now: Date = Date(),
                    onBusy: @escaping @Sendable (String) -> Void = { _ in },
                    onEvent: @escaping @Sendable (TerraformBatch.Event) -> Void = { _ in }) async throws -> Outcome {
        let s = request.session
        let config = try files.sessionConfig(s)
        guard request.until.date > now else {
            throw WorkflowError.usage("--until \(request.until.text) is in the past; give a later time (e.g. \(SessionEnd.rfc3339(now.addingTimeInterval(3600), in: request.until.timeZone))).")
        }
        let url = files.sessionFile(s)
        let text = try String(contentsOf: url, encoding: .utf8)
        try AtomicFile.write(Data(Self.settingEnd(in: text, to: request.until).utf8), to: url, permissions: 0o644)
        let apply = request.applyTerraform ? await provisioner.hasResources(s) : false
        if apply, !request.replaceClusters {
            // The plan reads the new end from the file; a refusal puts the old file back.
            do {
                try await ClusterReplacementGuard(context).requireNoReplacement(
                    [s], rerun: "labctl extend \(s) --until \"\(request.until.text)\" --replace-clusters", onBusy: { _, holder in onBusy(holder) })
            } catch {
                try AtomicFile.write(Data(text.utf8), to: url, permissions: 0o644)
                throw error
            }
        }
        try registry.recordAudit(session: s, action: "extend",
                                 detail: "session_end \(config.lifetime.end?.text ?? "(none)") → \(request.until.text)")
        let shutdownAt = SessionEnd.systemdCalendar(request.until.date.addingTimeInterval(config.lifetime.grace))

        var terraform: TerraformBatch.Outcome?
        if apply {
            terraform = await RunSessions(context, .apply, parallel: 1).run([s], onEvent: onEvent).first
        }
        return Outcome(previousEnd: config.lifetime.end, end: request.until, shutdownAt: shutdownAt, terraform: terraform)
    }

    /// The tfvars text with `session_end` set to `end` (the line replaced, or added at the end).
    public static func settingEnd(in text: String, to end: SessionEnd) -> String {
        let line = "session_end = \"\(end.text)\" # \(end.human)"
        var lines = text.components(separatedBy: "\n")
        if let i = lines.firstIndex(where: { l in
            let t = l.drop { $0 == " " || $0 == "\t" }
            guard t.hasPrefix(SessionLifetime.endKey) else { return false }
            return t.dropFirst(SessionLifetime.endKey.count).drop { $0 == " " || $0 == "\t" }.first == "="
        }) {
            lines[i] = line
            return lines.joined(separator: "\n")
        }
        let body = text.hasSuffix("\n") || text.isEmpty ? text : text + "\n"
        return body + line + "\n"
    }
}

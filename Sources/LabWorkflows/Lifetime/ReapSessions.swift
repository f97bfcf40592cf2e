import Foundation
import LabCore
import LabProvision
import LabStore

/// `labctl reap`: destroys every deployed session whose end + grace has passed.
/// Safe unattended (cron, a systemd timer, `serve --reap-every`): a session another
/// labctl holds is left alone this round, a session without an end is only reported,
/// Terraform's state is backed up before each destroy (Provisioner), and each destroy
/// writes its own log under `.labctl/logs/<session>/`.
public struct ReapSessions: Sendable, LabUseCase {
    public enum Action: String, Sendable, Encodable {
        case destroyed, wouldDestroy = "would_destroy", failed, busy
        /// Deployed, not due (yet), or never due: reported only.
        case notDue = "not_due", noEnd = "no_end", unreadable
        /// Its state could not be read: maybe deployed, maybe not (exit 1, so cron mails it).
        case unknown
    }

    public struct Entry: Sendable, Encodable, Equatable {
        public var session: String
        public var action: Action
        public var detail: String
        /// The destroy's Terraform log, when one ran.
        public var log: String?
    }

    public struct Outcome: Sendable {
        public var entries: [Entry]
        /// A destroy failed or a state could not be read: exit 1.
        public var failed: Bool { entries.contains { $0.action == .failed || $0.action == .unknown } }
    }

    public let context: LabContext
    public let parallel: Int

    public init(_ context: LabContext, parallel: Int = 2) {
        self.context = context
        self.parallel = parallel
    }

    /// `grace` replaces each session's `shutdown_grace` when given.
    public func run(dryRun: Bool, grace: TimeInterval? = nil, now: Date = Date(),
                    onEvent: @escaping @Sendable (TerraformBatch.Event) -> Void = { _ in }) async throws -> Outcome {
        var entries: [Entry] = []
        var due: [String] = []
        let sessions = Set(files.configuredSessions()).union(provisioner.workspaces()).sorted()
        for s in sessions {
            let read: StateSummary?
            do { read = try await provisioner.readState(s) } catch {
                entries.append(Entry(session: s, action: .unknown, detail: "its Terraform state cannot be read, so what it deploys is unknown: \(error)"))
                continue
            }
            guard let state = read, state.resourceCount > 0 else { continue }
            let lifetime: SessionLifetime
            do { lifetime = try files.sessionConfig(s).lifetime } catch {
                entries.append(Entry(session: s, action: .unreadable, detail: "\(state.resourceCount) resource(s) deployed, but \(error); fix the file or destroy it with `labctl destroy \(s)`"))
                continue
            }
            let effectiveGrace = grace ?? lifetime.grace
            switch SessionEndPolicy.standing(lifetime, now: now, grace: effectiveGrace) {
            case .noEnd:
                entries.append(Entry(session: s, action: .noEnd, detail: "deployed with no session_end (--no-end): never reaped; destroy it with `labctl destroy \(s)` when done"))
            case .unreadable(let problem):
                entries.append(Entry(session: s, action: .unreadable, detail: problem))
            case .running(let left), .endingSoon(let left):
                entries.append(Entry(session: s, action: .notDue, detail: "ends in \(SessionEndPolicy.span(left)), reaped \(LifetimeDuration.format(effectiveGrace)) after that"))
            case .ended(let ago, let reapable):
                if !reapable {
                    entries.append(Entry(session: s, action: .notDue, detail: "ended \(SessionEndPolicy.span(ago)) ago; reaped once the grace of \(LifetimeDuration.format(effectiveGrace)) has passed"))
                } else if let holder = busy(s) {
                    entries.append(Entry(session: s, action: .busy, detail: "due, but \(holder) holds the session; left for the next run"))
                } else if dryRun {
                    entries.append(Entry(session: s, action: .wouldDestroy, detail: "ended \(SessionEndPolicy.span(ago)) ago (\(lifetime.end!.utcRFC3339)); \(state.resourceCount) resource(s)"))
                } else {
                    due.append(s)
                }
            }
        }
        guard !due.isEmpty else { return Outcome(entries: entries) }
        if let refusal = await clockRefusal(region: (try? files.sessionConfig(due[0]).region) ?? "eu-west-1") {
            entries += due.map { Entry(session: $0, action: .failed, detail: "due, but not destroyed: \(refusal)") }
            return Outcome(entries: entries.sorted { $0.session < $1.session })
        }

        let batch = TerraformBatch(context, verb: .destroy, parallel: parallel, waitForLock: false)
        let registry = self.registry
        let outcomes = await batch.run(due, onEvent: onEvent) { session, _ in
            try registry.recordAudit(session: session, action: "reaped", detail: "destroyed by labctl reap: end + grace had passed")
            return try SessionDeployment.afterDestroy(session: session, forget: false, registry: registry)
        }
        for o in outcomes {
            let log = o.result.map { files.display($0.log) }
            entries.append(o.ok
                ? Entry(session: o.session, action: .destroyed, detail: "destroyed; state backed up in .labctl/backups/", log: log)
                : Entry(session: o.session, action: .failed, detail: o.error ?? "destroy failed", log: log))
        }
        return Outcome(entries: entries.sorted { $0.session < $1.session })
    }

    /// Why nothing may be destroyed now: this machine's clock and AWS's disagree by more than
    /// `AWSClock.tolerance` (the ends were judged by this clock), or AWS's cannot be read.
    private func clockRefusal(region: String) async -> String? {
        do {
            let offset = try await AWSClock.offset(region: region)
            guard abs(offset) > AWSClock.tolerance else { return nil }
            return "this machine's clock is \(AWSClock.describe(offset)) (more than \(Int(AWSClock.tolerance) / 60) min), so the ends were judged by a wrong clock. Set the clock right (`timedatectl set-ntp true`, chrony), then run reap again."
        } catch {
            return "\(error)"
        }
    }

    /// Who holds the session's lock, or nil when it is free (checked by taking it for a moment).
    private func busy(_ session: String) -> String? {
        let lock = FileLock(path: provisioner.layout.lockFile(session).path)
        guard let free = try? lock.tryAcquire(holder: FileLock.describeSelf(verb: "reap check \(session)")) else { return nil }
        if free { lock.release(); return nil }
        return lock.currentHolder()
    }
}

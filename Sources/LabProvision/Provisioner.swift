import Foundation

/// Runs Terraform for sessions: init of the shared stack once (under a lock),
/// then one child per session with `TF_WORKSPACE=<session>`, each session
/// guarded by its own lock so a second labctl waits or fails clearly.
public struct Provisioner: Sendable {
    public enum Verb: String, Sendable { case plan, apply, destroy, output, refresh }

    public struct Options: Sendable {
        public var waitForLock = true
        public var lockTimeout: TimeInterval = .infinity
        /// Resource addresses `apply` replaces (`-replace=`), and the only ones it touches
        /// (`-target=`, so a rebuild applies nothing else pending): `labctl rebuild`.
        public var replace: [String] = []
        public init(waitForLock: Bool = true, replace: [String] = []) {
            self.waitForLock = waitForLock
            self.replace = replace
        }
    }

    /// What one session's run did.
    public struct Result: Sendable {
        public var session: String
        public var verb: Verb
        public var status: Int32
        public var log: URL
        public var progress: ProgressParser
        public var outputs: SessionOutputs?
        /// Why `outputs` is nil after an `output` run (exit status, Terraform's first complaint, or a parse error).
        public var outputsProblem: String?
        public var elapsed: TimeInterval
        public var succeeded: Bool { status == 0 }
    }

    public let layout: LabLayout
    public let settings: TerraformSettings

    public init(layout: LabLayout, settings: TerraformSettings) {
        self.layout = layout
        self.settings = settings
    }

    /// `terraform init` of a stack, once: skipped when already initialised unless `force`.
    public func ensureInitialised(stack: URL, force: Bool = false, log: URL) async throws {
        let marker = stack.appendingPathComponent(".terraform/terraform.tfstate").path
        let providers = stack.appendingPathComponent(".terraform/providers").path
        if !force, FileManager.default.fileExists(atPath: providers), !layout.usesS3Backend || Self.initialisedForS3(marker: marker) {
            return
        }
        let lock = FileLock(path: layout.initLockFile(stack.lastPathComponent).path)
        _ = try await lock.acquire(holder: FileLock.describeSelf(verb: "init"), wait: true)
        defer { lock.release() }
        // Another labctl may have initialised it while we waited.
        if !force, FileManager.default.fileExists(atPath: providers), !layout.usesS3Backend || Self.initialisedForS3(marker: marker) {
            return
        }
        var args = ["init", "-input=false", "-no-color"]
        if let dir = settings.pluginDirectory { args.append("-plugin-dir=\(dir)") }
        if stack == layout.sessionStack || stack == layout.networkStack, layout.usesS3Backend {
            // The network state goes next to the session states (issue 27.5): a second
            // trainer's `network apply` then finds the lab's network instead of making another.
            let networkKey = stack == layout.networkStack ? try layout.s3NetworkStateKey() : nil
            try Data("terraform {\n  backend \"s3\" {}\n}\n".utf8).write(to: stack.appendingPathComponent("backend_override.tf"))
            if let networkKey, let local = try networkState(), local.resourceCount > 0 {
                throw ProvisionError.localNetworkState(path: layout.networkStack.appendingPathComponent("terraform.tfstate").path,
                                                       backendConfig: layout.s3BackendConfig.path, key: networkKey)
            }
            args += ["-backend-config=\(layout.s3BackendConfig.path)", "-reconfigure"]
            if let networkKey { args.append("-backend-config=key=\(networkKey)") }
        }
        let status = try await TerraformProcess.run(args, settings: settings, directory: stack, workspace: nil, log: log)
        guard status == 0 else {
            throw ProvisionError.terraformFailed(session: stack.lastPathComponent, verb: "init", status: status, log: log.path,
                                                 hint: settings.pluginDirectory == nil ? "no LABCTL_TF_PLUGIN_DIR set; offline machines need the provider mirror" : nil)
        }
    }

    /// Whether `terraform init` left the S3 backend in `.terraform/terraform.tfstate` (a stack
    /// initialised with the local backend before the lab moved to S3 needs init again).
    static func initialisedForS3(marker: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: marker),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let backend = json["backend"] as? [String: Any] else { return false }
        return backend["type"] as? String == "s3"
    }

    /// Runs `verb` for one session. `inputs` (participants and secrets) is required for plan/apply/destroy.
    public func run(_ verb: Verb, session: String, inputs: SessionInputs?, options: Options = Options(),
                    onBusy: @Sendable (String) -> Void = { _ in },
                    onProgress: @escaping @Sendable (ProgressParser) -> Void = { _ in }) async throws -> Result {
        let started = Date()
        let lock = FileLock(path: layout.lockFile(session).path)
        guard try await lock.acquire(holder: FileLock.describeSelf(verb: "\(verb.rawValue) \(session)"), wait: options.waitForLock,
                                     timeout: options.lockTimeout, onBusy: onBusy) else {
            throw ProvisionError.locked(session: session, holder: lock.currentHolder())
        }
        defer { lock.release() }

        let log = layout.logFile(session, verb: verb.rawValue)
        try await ensureInitialised(stack: layout.sessionStack, log: log)

        var args: [String]
        switch verb {
        case .output:
            args = ["output", "-json", "-no-color"]
        case .plan, .apply, .destroy, .refresh:
            guard let inputs else { throw ProvisionError.noParticipants(session: session) }
            guard !inputs.clusters.isEmpty || verb == .destroy else { throw ProvisionError.noParticipants(session: session) }
            let sessionFile = layout.sessionFile(session)
            guard FileManager.default.fileExists(atPath: sessionFile.path) else {
                throw ProvisionError.missingSessionFile(session: session, path: "sessions/\(session).tfvars")
            }
            let varFile = layout.varFile(session)
            try FileManager.default.createDirectory(at: varFile.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try writePrivate(try inputs.renderJSON(), to: varFile)
            args = [verb == .refresh ? "apply" : verb.rawValue, "-input=false", "-no-color",
                    "-var-file=\(sessionFile.path)", "-var-file=\(varFile.path)"]
            if verb == .apply || verb == .destroy { args.append("-auto-approve") }
            if verb == .apply || verb == .plan { args += options.replace.flatMap { ["-replace=\($0)", "-target=\($0)"] } }
            if verb == .refresh { args += ["-refresh-only", "-auto-approve"] }
            if verb == .destroy { try backupState(session) }
        }

        if verb == .output {
            let run = try await TerraformProcess.runReadingStdout(args, settings: settings, directory: layout.sessionStack,
                                                                  workspace: session, log: log)
            var result = Result(session: session, verb: verb, status: run.status, log: log, progress: ProgressParser(),
                                outputs: nil, elapsed: 0)
            if run.status == 0 {
                do { result.outputs = try SessionOutputs.parse(Data(run.stdout.utf8)) } catch {
                    result.outputsProblem = "Terraform's output is not the JSON expected (\(error))"
                }
            } else {
                result.outputsProblem = "terraform output exited \(run.status)" + (run.problem.map { ": \($0)" } ?? "")
            }
            result.elapsed = Date().timeIntervalSince(started)
            return result
        }
        let tracker = ProgressTracker(onProgress: onProgress)
        let limit = settings.resourceTimeout
        let status = try await TerraformProcess.run(args, settings: settings, directory: layout.sessionStack, workspace: session,
                                                    log: log, onLine: { tracker.consume($0) }, stopWhen: { tracker.exceeds(limit: limit) })
        return Result(session: session, verb: verb, status: status, log: log, progress: tracker.current,
                      outputs: nil, elapsed: Date().timeIntervalSince(started))
    }

    /// Copies the session's local state to `.labctl/backups/` before a destroy.
    func backupState(_ session: String) throws {
        let state = layout.localState(session)
        guard FileManager.default.fileExists(atPath: state.path) else { return }
        try FileManager.default.createDirectory(at: layout.backupsDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let stamp = Int(Date().timeIntervalSince1970)
        let target = layout.backupsDirectory.appendingPathComponent("\(session)-\(stamp).tfstate")
        try writePrivate(try Data(contentsOf: state), to: target)
    }

    func writePrivate(_ data: Data, to url: URL) throws {
        let tmp = url.appendingPathExtension("tmp-\(getpid())")
        FileManager.default.createFile(atPath: tmp.path, contents: data, attributes: [.posixPermissions: 0o600])
        guard rename(tmp.path, url.path) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
    }
}

/// Collects progress from the reader thread and reports each change.
// @unchecked Sendable: the parser is only touched under `lock` (reader thread and caller).
final class ProgressTracker: @unchecked Sendable {
    private let lock = NSLock()
    private var parser = ProgressParser()
    private let onProgress: @Sendable (ProgressParser) -> Void

    init(onProgress: @escaping @Sendable (ProgressParser) -> Void) { self.onProgress = onProgress }

    func consume(_ line: String) {
        lock.lock()
        let before = parser.line
        parser.consume(line)
        let snapshot = parser
        lock.unlock()
        if snapshot.line != before { onProgress(snapshot) }
    }

    var current: ProgressParser { lock.lock(); defer { lock.unlock() }; return parser }

    /// True once (and only once) the resource being waited for is over `limit`.
    func exceeds(limit: TimeInterval) -> Bool { lock.lock(); defer { lock.unlock() }; return parser.exceeds(limit: limit) }
}

// @unchecked Sendable: every access holds `lock`.
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return lines.joined(separator: "\n") }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}

extension Provisioner {
    /// The session's state: the local backend's file read directly (no Terraform
    /// process at all), or `terraform state pull` for the S3 backend. Nil when the session
    /// has no state; throws `ProvisionError.unreadableState` when it cannot be read (an
    /// unreachable bucket is not "nothing deployed").
    public func readState(_ session: String) async throws -> StateSummary? {
        if !layout.usesS3Backend {
            guard let data = FileManager.default.contents(atPath: layout.localState(session).path) else { return nil }
            return try StateSummary.parse(data)
        }
        let log = layout.logFile(session, verb: "state-pull")
        // Pulling needs the backend initialised (a session never applied from this lab folder).
        do { try await ensureInitialised(stack: layout.sessionStack, log: log) } catch {
            throw ProvisionError.unreadableState(session: session, reason: "\(error)")
        }
        let run = try await TerraformProcess.runReadingStdout(["state", "pull"], settings: settings, directory: layout.sessionStack,
                                                              workspace: session, log: log)
        guard run.status == 0 else {
            throw ProvisionError.unreadableState(session: session, reason: "terraform state pull exited \(run.status)"
                                                 + (run.problem.map { ": \($0)" } ?? "") + " (log: \(log.path))")
        }
        let text = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : try StateSummary.parse(Data(text.utf8))
    }

    /// Whether the session's state holds any resource; a state that cannot be read counts as none.
    public func hasResources(_ session: String) async -> Bool {
        ((try? await readState(session)) ?? nil)?.resourceCount ?? 0 > 0
    }

    /// Sessions that have a workspace (local backend: a state folder).
    public func workspaces() -> [String] {
        let dir = layout.sessionStack.appendingPathComponent("terraform.tfstate.d")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }
}

extension Provisioner {
    /// Runs a verb on the shared network stack (one state, the default workspace),
    /// with `network.tfvars` from the lab root when present and `variables` (the lab's
    /// id) as `-var`s after it, so that they win.
    public func runNetwork(_ verb: Verb, variables: [String: String] = [:],
                           onProgress: @escaping @Sendable (ProgressParser) -> Void = { _ in }) async throws -> Result {
        let started = Date()
        let lock = FileLock(path: layout.lockFile("_network").path)
        guard try await lock.acquire(holder: FileLock.describeSelf(verb: "network \(verb.rawValue)"), wait: true) else {
            throw ProvisionError.locked(session: "network", holder: lock.currentHolder())
        }
        defer { lock.release() }
        let log = layout.logFile("_network", verb: verb.rawValue)
        try await ensureInitialised(stack: layout.networkStack, log: log)
        var args: [String]
        switch verb {
        case .output: args = ["output", "-json", "-no-color"]
        default:
            args = [verb == .refresh ? "apply" : verb.rawValue, "-input=false", "-no-color"]
            let vars = layout.root.appendingPathComponent("network.tfvars")
            if FileManager.default.fileExists(atPath: vars.path) { args.append("-var-file=\(vars.path)") }
            args += variables.sorted { $0.key < $1.key }.map { "-var=\($0.key)=\($0.value)" }
            if verb != .plan { args.append("-auto-approve") }
        }
        let tracker = ProgressTracker(onProgress: onProgress)
        let limit = settings.resourceTimeout
        let status = try await TerraformProcess.run(args, settings: settings, directory: layout.networkStack, workspace: nil, log: log,
                                                    onLine: { tracker.consume($0) }, stopWhen: { tracker.exceeds(limit: limit) })
        return Result(session: "network", verb: verb, status: status, log: log, progress: tracker.current, outputs: nil,
                      elapsed: Date().timeIntervalSince(started))
    }

    /// The network's state: the local file, or in S3 mode `terraform state pull` from the
    /// bucket (nil when there is none yet; throws when it cannot be read).
    public func readNetworkState() async throws -> StateSummary? {
        guard layout.usesS3Backend else { return try networkState() }
        return try await pullNetworkState().map { try StateSummary.parse($0) }
    }

    /// The network's state in the bucket (S3 mode), as Terraform's JSON; nil when it has none.
    public func pullNetworkState() async throws -> Data? {
        let log = layout.logFile("_network", verb: "state-pull")
        do { try await ensureInitialised(stack: layout.networkStack, log: log) } catch {
            throw ProvisionError.unreadableState(session: "network", reason: "\(error)")
        }
        let run = try await TerraformProcess.runReadingStdout(["state", "pull"], settings: settings, directory: layout.networkStack,
                                                              workspace: nil, log: log)
        guard run.status == 0 else {
            throw ProvisionError.unreadableState(session: "network", reason: "terraform state pull exited \(run.status)"
                                                 + (run.problem.map { ": \($0)" } ?? "") + " (log: \(log.path))")
        }
        let text = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : Data(text.utf8)
    }

    /// The network stack's local state file, read directly.
    public func networkState() throws -> StateSummary? {
        guard let data = FileManager.default.contents(atPath: layout.networkStack.appendingPathComponent("terraform.tfstate").path) else { return nil }
        return try StateSummary.parse(data)
    }
}

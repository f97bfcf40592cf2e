import Foundation

extension Provisioner {
    /// Plans the session into a private plan file and reads which clusters the plan
    /// would replace. The JSON plan holds the sensitive variables in clear text, so it
    /// goes to a 0600 file that is deleted at once, never to the log; the plan file too.
    public func clusterReplacements(session: String, inputs: SessionInputs, options: Options = Options(),
                                    onBusy: @Sendable (String) -> Void = { _ in }) async throws -> ClusterReplacements {
        let lock = FileLock(path: layout.lockFile(session).path)
        guard try await lock.acquire(holder: FileLock.describeSelf(verb: "plan \(session)"), wait: options.waitForLock,
                                     timeout: options.lockTimeout, onBusy: onBusy) else {
            throw ProvisionError.locked(session: session, holder: lock.currentHolder())
        }
        defer { lock.release() }
        guard !inputs.clusters.isEmpty else { throw ProvisionError.noParticipants(session: session) }
        let sessionFile = layout.sessionFile(session)
        guard FileManager.default.fileExists(atPath: sessionFile.path) else {
            throw ProvisionError.missingSessionFile(session: session, path: "sessions/\(session).tfvars")
        }
        let log = layout.logFile(session, verb: "review")
        try await ensureInitialised(stack: layout.sessionStack, log: log)
        let varFile = layout.varFile(session)
        let privateDir = varFile.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: privateDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try writePrivate(try inputs.renderJSON(), to: varFile)

        let planFile = privateDir.appendingPathComponent("\(session).tfplan")
        let jsonFile = privateDir.appendingPathComponent("\(session).tfplan.json")
        defer {
            try? FileManager.default.removeItem(at: planFile)
            try? FileManager.default.removeItem(at: jsonFile)
        }
        let status = try await TerraformProcess.run(["plan", "-input=false", "-no-color", "-lock=true", "-out=\(planFile.path)",
                                                     "-var-file=\(sessionFile.path)", "-var-file=\(varFile.path)"],
                                                    settings: settings, directory: layout.sessionStack, workspace: session, log: log)
        guard status == 0 else {
            throw ProvisionError.terraformFailed(session: session, verb: "plan", status: status, log: log.path, hint: nil)
        }
        let shown = try await Self.runToPrivateFile(["show", "-json", "-no-color", planFile.path], settings: settings,
                                                    directory: layout.sessionStack, workspace: session, output: jsonFile)
        guard shown == 0 else {
            throw ProvisionError.terraformFailed(session: session, verb: "show -json", status: shown, log: log.path, hint: "the plan itself succeeded; run `terraform show` on it by hand to see why")
        }
        return try ClusterReplacements.parse(try Data(contentsOf: jsonFile), session: session)
    }

    /// Runs Terraform with stdout into a new 0600 file (stderr discarded): no pipe to
    /// drain, nothing in a log.
    static func runToPrivateFile(_ arguments: [String], settings: TerraformSettings, directory: URL, workspace: String?,
                                 output: URL) async throws -> Int32 {
        guard FileManager.default.createFile(atPath: output.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: output.path])
        }
        return try await TerraformProcess.runToPrivateFile(arguments, settings: settings, directory: directory,
                                                            workspace: workspace, output: output)
    }
}

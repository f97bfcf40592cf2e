import Foundation
import LabCore

/// A participant's master for rehearsals and tests: a real OpenSSH `sshd` on a
/// free 127.0.0.1 port, with its own ed25519 host key and config in `directory`.
///
/// Everything SSH is real (handshake, host key, public-key auth, exec channels,
/// the login user's `~/.ssh/authorized_keys`). Only the kubeadm node is replayed:
/// fixture `kubectl` and `cloud-init` executables, first on the session's PATH
/// (sshd `SetEnv`), print recorded outputs for the chosen `NodeReplay`. The
/// session's HOME is `directory/home`, whose `.ssh/authorized_keys` is the file
/// sshd authorises against (after `sshdOnlyKeysPath`), so the verifier reads the real thing.
///
/// Log in as `loginUser` (the user running this process; root on CI) with a key
/// whose public line is in `authorizedKeys`. Traffic stays on loopback.
// @unchecked Sendable: the running sshd is swapped under `lock`; the port and host key change only in `rekey()`, which tests call between checks.
public final class LoopbackMaster: @unchecked Sendable {
    public let host = "127.0.0.1"
    public private(set) var port: Int
    /// The user sshd lets in: the current user (`--user` for `labctl verify`).
    public let loginUser: String
    /// `SHA256:…` of the current host key, as `ssh-keygen -l` prints it.
    public private(set) var hostKeyFingerprint: String
    public let directory: URL
    public let replay: NodeReplay

    private var process: ChildProcess?
    private let lock = NSLock()

    public var hostKeyPath: URL { directory.appendingPathComponent("ssh_host_ed25519_key") }
    public var hostKeyPublicPath: URL { directory.appendingPathComponent("ssh_host_ed25519_key.pub") }
    public var authorizedKeysPath: URL { directory.appendingPathComponent("home/.ssh/authorized_keys") }
    /// Keys sshd accepts before it looks at `authorizedKeysPath`; absent unless a test writes it.
    /// A test that makes authorized_keys hostile (4 GiB sparse) puts the operator key here, since
    /// sshd reads all of authorized_keys at every login and must not be what the test measures.
    public var sshdOnlyKeysPath: URL { directory.appendingPathComponent("sshd_only_authorized_keys") }
    public var logURL: URL { directory.appendingPathComponent("sshd.log") }

    /// Starts a real sshd on a free 127.0.0.1 port with its own ed25519 host key in
    /// `directory` (created if needed); `authorizedKeys` lines go into the login user's
    /// authorized_keys for this master; `replay` chooses what kubectl and cloud-init say.
    public init(directory: URL, authorizedKeys: [String], replay: NodeReplay) throws {
        self.directory = directory
        self.replay = replay
        loginUser = Self.currentUser()
        let fm = FileManager.default
        for sub in ["home/.ssh", "bin", "replay"] {
            try fm.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try Data((authorizedKeys.joined(separator: "\n") + "\n").utf8)
            .write(to: directory.appendingPathComponent("home/.ssh/authorized_keys"))
        try MasterFixtures.install(replay, in: directory, startedAt: Date())
        hostKeyFingerprint = try Self.generateHostKey(at: directory.appendingPathComponent("ssh_host_ed25519_key"))
        port = 0
        try start()
    }

    deinit { stop() }

    /// Replaces the host key and restarts sshd on the same port (a re-deployed master).
    public func rekey() throws {
        stop()
        try? FileManager.default.removeItem(at: hostKeyPath)
        try? FileManager.default.removeItem(at: hostKeyPublicPath)
        hostKeyFingerprint = try Self.generateHostKey(at: hostKeyPath)
        try start(keepPort: true)
    }

    /// Stops sshd. Idempotent; also runs on deinit.
    public func stop() {
        lock.lock()
        let p = process
        process = nil
        lock.unlock()
        p?.stop()
    }

    // MARK: sshd

    private func start(keepPort: Bool = false) throws {
        let sshd = try Executables.find("sshd")
        try PrivilegeSeparation.prepare()
        var lastError = "sshd did not start"
        for attempt in 0..<5 {
            if !(keepPort && attempt == 0 && port != 0) { port = try FreePort.find() }
            if keepPort && attempt > 0 && port != 0 { usleep(200_000) }
            let config = directory.appendingPathComponent("sshd_config")
            try Data(sshdConfig().utf8).write(to: config)
            _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
            // Not in the Ctrl-C table: the demo and the tests stop their masters themselves.
            let p = try ChildProcess(sshd, ["-D", "-e", "-f", config.path], output: .file(logURL, append: true),
                                     error: .sameAsStdout, registry: nil)
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline, p.isRunning, !FreePort.canConnect(port: port) { usleep(10_000) }
            if p.isRunning && FreePort.canConnect(port: port) {
                lock.lock(); process = p; lock.unlock()
                return
            }
            p.stop()
            lastError = (try? String(contentsOf: logURL, encoding: .utf8)) ?? lastError
            // A build whose privilege-separation directory is not Debian's names it: create it, try again.
            if try PrivilegeSeparation.prepare(fromLog: lastError) { continue }
        }
        throw RehearsalError("sshd did not listen on 127.0.0.1:\(port): \(lastError.trimmingCharacters(in: .whitespacesAndNewlines)) (config: \(directory.path)/sshd_config)")
    }

    private func sshdConfig() -> String {
        let d = directory.path
        return """
        # labctl rehearsal master: loopback only, public-key only, this directory only.
        Port \(port)
        ListenAddress 127.0.0.1
        HostKey \(hostKeyPath.path)
        PidFile none
        AuthorizedKeysFile \(sshdOnlyKeysPath.path) \(authorizedKeysPath.path)
        PubkeyAuthentication yes
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        PermitRootLogin prohibit-password
        AllowUsers \(loginUser)
        StrictModes no
        UsePAM no
        UseDNS no
        PrintMotd no
        PrintLastLog no
        PermitUserEnvironment no
        X11Forwarding no
        AllowTcpForwarding no
        MaxStartups 200
        LoginGraceTime 30
        LogLevel ERROR
        SetEnv "PATH=\(d)/bin:/usr/local/bin:/usr/bin:/bin" "HOME=\(d)/home"

        """
    }

    private static func generateHostKey(at url: URL) throws -> String {
        let keygen = try Executables.find("ssh-keygen")
        guard run(keygen, ["-q", "-t", "ed25519", "-N", "", "-C", "labctl-rehearsal-master", "-f", url.path]).status == 0 else {
            throw RehearsalError("ssh-keygen could not create a host key at \(url.path)")
        }
        let listed = run(keygen, ["-l", "-f", url.path + ".pub"])
        guard listed.status == 0, let fp = listed.stdout.split(separator: " ").dropFirst().first else {
            throw RehearsalError("ssh-keygen could not fingerprint \(url.path).pub")
        }
        return String(fp)
    }

    /// Runs a short tool and returns its exit status and stdout.
    private static func run(_ executable: String, _ arguments: [String]) -> (status: Int32, stdout: String) {
        guard let child = try? ChildProcess(executable, arguments, output: .capture, registry: nil) else { return (-1, "") }
        return (child.waitUntilExit().status, child.stdout)
    }

    private static func currentUser() -> String {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "root"
    }
}

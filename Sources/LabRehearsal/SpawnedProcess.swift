import Foundation

/// A child process started with `posix_spawn` and reaped with `waitpid` by us.
///
/// Foundation's `Process` watches a socket it passes to the child and, when the
/// child closes it, does a blocking `wait4` on its monitor thread. sshd closes every
/// inherited descriptor at start, so under `Process` it looks dead, the monitor
/// blocks on it forever and no other child is ever reaped. Daemons go through this.
// @unchecked Sendable: the reaped flag is only touched under `lock`.
final class SpawnedProcess: @unchecked Sendable {
    let pid: pid_t
    private var reaped = false
    private let lock = NSLock()

    /// Starts `executable` with stdin from /dev/null and stdout+stderr appended to `log`.
    init(executable: String, arguments: [String], log: URL) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, nil, argv, environ)
        guard rc == 0 else { throw RehearsalError("cannot start \(executable): \(String(cString: strerror(rc)))") }
        pid = child
    }

    /// True while the child has not exited (reaps it when it has).
    var isRunning: Bool {
        lock.lock(); defer { lock.unlock() }
        if reaped { return false }
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        if r == pid || r < 0 { reaped = true; return false }
        return true
    }

    /// SIGTERM, then SIGKILL after `grace` seconds; waits for the exit. Idempotent.
    func terminate(grace: TimeInterval = 5) {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while isRunning {
            if Date() > deadline { kill(pid, SIGKILL) }
            usleep(5_000)
        }
    }
}

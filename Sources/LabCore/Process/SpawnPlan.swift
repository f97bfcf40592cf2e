import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The descriptors and attributes of one posix_spawn: pipes made close-on-exec in the
/// parent, dup'ed onto 0/1/2 in the child, everything above 2 closed there.
struct SpawnPlan {
    struct ReaderSpec { let fd: Int32; let onLine: (@Sendable (String) -> Void)? }

    private var actions = posix_spawn_file_actions_t()
    private var childEnds: [Int32] = []
    private(set) var inputWriteEnd: Int32?
    private(set) var readerSpecs: [ReaderSpec] = []
    private(set) var stdoutIndex: Int?
    private(set) var stderrIndex: Int?
    private var paths: [UnsafeMutablePointer<CChar>] = []

    init(input: ChildProcess.Input, output: ChildProcess.Output, error: ChildProcess.Output) throws {
        posix_spawn_file_actions_init(&actions)
        switch input {
        case .null: open("/dev/null", O_RDONLY, onto: 0)
        case .data, .pipe:
            Self.ignoreSIGPIPE
            let (read, write) = try Self.pipe()
            posix_spawn_file_actions_adddup2(&actions, read, 0)
            childEnds.append(read)
            inputWriteEnd = write
        }
        stdoutIndex = try route(output, onto: 1)
        if case .sameAsStdout = error {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            stderrIndex = try route(error, onto: 2)
        }
        GNUExtensions.closeFrom(&actions, 3)
    }

    /// Writing to a child's stdin after it exited must fail with EPIPE, not kill labctl.
    private static let ignoreSIGPIPE: Void = { signal(SIGPIPE, SIG_IGN); return () }()

    private mutating func route(_ output: ChildProcess.Output, onto fd: Int32) throws -> Int? {
        switch output {
        case .discard: open("/dev/null", O_WRONLY, onto: fd)
        case .inherit: break
        case .file(let url, let append): open(url.path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), onto: fd)
        case .sameAsStdout: posix_spawn_file_actions_adddup2(&actions, 1, fd)
        case .capture, .lines:
            let (read, write) = try Self.pipe()
            posix_spawn_file_actions_adddup2(&actions, write, fd)
            childEnds.append(write)
            var onLine: (@Sendable (String) -> Void)?
            if case .lines(let f) = output { onLine = f }
            readerSpecs.append(ReaderSpec(fd: read, onLine: onLine))
            return readerSpecs.count - 1
        }
        return nil
    }

    private mutating func open(_ path: String, _ flags: Int32, onto fd: Int32) {
        let p = strdup(path)!
        paths.append(p)
        posix_spawn_file_actions_addopen(&actions, fd, p, flags, 0o600)
    }

    private static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard GNUExtensions.pipeCloseOnExec(&fds) == 0 else {
            throw ChildProcessError("cannot create a pipe: \(String(cString: strerror(errno))); too many open files? raise `ulimit -n`")
        }
        return (fds[0], fds[1])
    }

    /// posix_spawn in a new process group, all signals at their defaults, none blocked.
    mutating func run(path: String, arguments: [String], environment: [String: String]?, directory: URL?) throws -> pid_t {
        if let directory {
            let d = strdup(directory.path)!
            paths.append(d)
            guard GNUExtensions.addChdir(&actions, d) else {
                throw ChildProcessError("cannot start \(path) in \(directory.path): this C library cannot set a child's directory; use glibc 2.29 or newer")
            }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        let envStrings = environment.map { $0.map { "\($0.key)=\($0.value)" } }
        let envp: [UnsafeMutablePointer<CChar>?]? = envStrings.map { $0.map { strdup($0) } + [nil] }
        defer { envp?.forEach { free($0) } }

        var pid: pid_t = 0
        let rc: Int32 = if let envp {
            posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        } else {
            posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        }
        guard rc == 0 else {
            for (fd, _) in readerSpecs.map({ ($0.fd, 0) }) { close(fd) }
            if let inputWriteEnd { close(inputWriteEnd) }
            let whereText = directory.map { " in \($0.path)" } ?? ""
            throw ChildProcessError("cannot start \(path)\(whereText): \(String(cString: strerror(rc))); check that it is executable and the directory exists")
        }
        return pid
    }

    /// The parent's copies of the child's pipe ends, the action list and its path strings.
    mutating func closeChildEnds() {
        for fd in childEnds { close(fd) }
        childEnds = []
        posix_spawn_file_actions_destroy(&actions)
        for p in paths { free(p) }
        paths = []
    }
}

import CLibSSH2
import Foundation
import LabCore
#if canImport(Glibc)
import Glibc
#endif

/// One SSH connection over libssh2, driven non-blocking with `poll(2)` so that
/// every step respects one absolute `Deadline` (a listener that accepts TCP
/// and never speaks cannot hold a thread past it).
///
/// Not thread-safe: one connection belongs to one thread at a time. Every
/// libssh2 object it creates is freed by `close()` (also called by `deinit`),
/// on success and on every failure path.
public final class SSHConnection {
    /// The result of one remote command.
    public struct ExecResult: Sendable {
        public var stdout: String
        public var stderr: String
        /// -1 when `truncated` (the command was not waited for).
        public var exitStatus: Int32
        /// The command printed more than the output limit: stdout and stderr hold what came
        /// before it, and labctl closed the channel instead of reading on.
        public var truncated = false
    }

    /// How many bytes one remote command may return (stdout and stderr together) before
    /// labctl stops reading and closes its channel. The remote side belongs to a participant
    /// (root on their master): whatever it prints must not grow labctl's memory. Every
    /// command labctl runs prints a few KiB; the largest is the 1 MiB `authorized_keys`
    /// excerpt (`RemoteProbe.authorizedKeysLimit`) and its section markers.
    public static let outputLimit = 2 * 1024 * 1024

    public let host: String
    public let port: Int
    public let deadline: Deadline
    private var fd: Int32 = -1
    private var session: OpaquePointer?
    private var handshaken = false

    /// Opens the TCP connection (the `tcp` check) within the deadline. IPv4 and IPv6 literals or names.
    public init(host: String, port: Int, deadline: Deadline) throws(SSHError) {
        self.host = host
        self.port = port
        self.deadline = deadline
        try LibSSH2.ensureInitialised()
        fd = try Self.connect(host: host, port: port, deadline: deadline)
    }

    deinit { close() }

    // MARK: Handshake, host key, authentication

    /// Runs the SSH handshake and returns the server's host key.
    public func handshake() throws(SSHError) -> HostKey {
        guard let s = libssh2_session_init_ex(nil, nil, nil, nil) else {
            throw SSHError(.handshake, "libssh2 could not allocate a session")
        }
        session = s
        libssh2_session_set_blocking(s, 0)
        // Prefer ed25519 so the pinned key is the one `ssh` and sheets show first.
        _ = libssh2_session_method_pref(s, LIBSSH2_METHOD_HOSTKEY,
                                        "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256,ssh-rsa")
        let rc = try retry(.handshake, "SSH handshake") { libssh2_session_handshake(s, fd) }
        guard rc == 0 else { throw SSHError(.handshake, "SSH handshake failed: \(lastError())") }
        handshaken = true
        var length = 0
        var type: Int32 = 0
        guard let raw = libssh2_session_hostkey(s, &length, &type), length > 0 else {
            throw SSHError(.handshake, "the server sent no host key")
        }
        let blob = raw.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
        return HostKey(type: HostKey.typeName(libssh2Type: type), blob: blob)
    }

    /// Public-key authentication as `user`. Throws `.authenticate` when the server refuses the key.
    public func authenticate(user: String, identity: SSHIdentity) throws(SSHError) {
        guard let s = session else { throw SSHError(.authenticate, "authenticate before handshake") }
        let rc: Int32
        switch identity {
        case .privateKey(let pem):
            // libssh2 1.10 runs strlen() over the key text: it must end with a NUL,
            // which is not counted in the length (valgrind found the over-read).
            let utf8 = Array(pem.utf8) + [0]
            rc = try retry(.authenticate, "public-key authentication") {
                utf8.withUnsafeBufferPointer { key in
                    key.withMemoryRebound(to: CChar.self) { k in
                        libssh2_userauth_publickey_frommemory(s, user, user.utf8.count, nil, 0, k.baseAddress, k.count - 1, nil)
                    }
                }
            }
        case .file(let path):
            rc = try retry(.authenticate, "public-key authentication") {
                libssh2_userauth_publickey_fromfile_ex(s, user, UInt32(user.utf8.count), nil, path, nil)
            }
        }
        switch rc {
        case 0: return
        case LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED, LIBSSH2_ERROR_AUTHENTICATION_FAILED:
            throw SSHError(.authenticate, "the server refused the key for \(user)")
        case LIBSSH2_ERROR_FILE:
            throw SSHError(.authenticate, "cannot read the private key (\(lastError()))")
        default:
            throw SSHError(.authenticate, "authentication failed: \(lastError())")
        }
    }

    // MARK: Commands

    /// Runs one command on its own channel and collects stdout, stderr and the exit status.
    public func exec(_ command: String, outputLimit: Int = SSHConnection.outputLimit) throws(SSHError) -> ExecResult {
        try execConcurrently([command], outputLimit: outputLimit)[0]
    }

    /// Opens one channel per command over this connection, starts them all, then
    /// reads them together: the remote commands run side by side. Each channel keeps
    /// at most `outputLimit` bytes (then it is closed and its result `truncated`), and
    /// the deadline holds while output is still streaming in.
    public func execConcurrently(_ commands: [String], outputLimit: Int = SSHConnection.outputLimit) throws(SSHError) -> [ExecResult] {
        guard let s = session else { throw SSHError(.channel, "exec before handshake") }
        var channels: [OpaquePointer] = []
        defer { for c in channels { freeChannel(c) } }
        for command in commands {
            let channel = try openChannel(s)
            channels.append(channel)
            let bytes = Array(command.utf8)
            let rc = try retry(.channel, "starting a remote command") {
                bytes.withUnsafeBufferPointer { b in
                    b.withMemoryRebound(to: CChar.self) { libssh2_channel_process_startup(channel, "exec", 4, $0.baseAddress, UInt32($0.count)) }
                }
            }
            guard rc == 0 else { throw SSHError(.channel, "the server refused to run a command: \(lastError())") }
        }
        var outputs = Array(repeating: ([UInt8](), [UInt8]()), count: channels.count)
        var finished = Array(repeating: false, count: channels.count)
        var truncated = Array(repeating: false, count: channels.count)
        let buffer = UnsafeMutableBufferPointer<CChar>.allocate(capacity: 32 * 1024)
        defer { buffer.deallocate() }
        while finished.contains(false) {
            var progressed = false
            for (i, channel) in channels.enumerated() where !finished[i] {
                reading: for stream: Int32 in [0, 1] {
                    while true {
                        // A command that prints faster than we read never lets a read say EAGAIN,
                        // so the deadline is checked here and not only while polling.
                        guard !deadline.hasPassed else { throw SSHError(.channel, "remote command output timed out", timedOut: true) }
                        let n = libssh2_channel_read_ex(channel, stream, buffer.baseAddress, buffer.count)
                        if n > 0 {
                            let room = max(0, outputLimit - outputs[i].0.count - outputs[i].1.count)
                            let chunk = UnsafeRawBufferPointer(start: buffer.baseAddress, count: min(n, room))
                            if stream == 0 { outputs[i].0.append(contentsOf: chunk) } else { outputs[i].1.append(contentsOf: chunk) }
                            progressed = true
                            if n > room {
                                truncated[i] = true
                                break reading
                            }
                            continue
                        }
                        if n == Int(LIBSSH2_ERROR_EAGAIN) || n == 0 { break }
                        throw SSHError(.channel, "reading a remote command's output failed: \(lastError())")
                    }
                }
                if truncated[i] {
                    // Send EOF and CLOSE without waiting for the answer: what is still in flight
                    // is at most the channel's window, and it is freed with the channel.
                    _ = libssh2_channel_close(channel)
                    finished[i] = true
                } else if libssh2_channel_eof(channel) == 1 {
                    finished[i] = true
                    progressed = true
                }
            }
            if !progressed && finished.contains(false) { try waitForSocket(.channel, "remote command output") }
        }
        var results: [ExecResult] = []
        for (i, channel) in channels.enumerated() {
            var status: Int32 = -1
            if !truncated[i] {
                _ = try retry(.channel, "closing a channel") { libssh2_channel_close(channel) }
                _ = try retry(.channel, "closing a channel") { libssh2_channel_wait_closed(channel) }
                status = libssh2_channel_get_exit_status(channel)
            }
            results.append(ExecResult(stdout: String(decoding: outputs[i].0, as: UTF8.self),
                                      stderr: String(decoding: outputs[i].1, as: UTF8.self),
                                      exitStatus: status, truncated: truncated[i]))
        }
        return results
    }

    /// Reads a remote file through `cat` (the files the checks need are small text files);
    /// nil when it cannot be read or is larger than the output limit.
    public func readFile(_ path: String) throws(SSHError) -> String? {
        let r = try exec("cat -- '\(path.replacingOccurrences(of: "'", with: "'\\''"))'")
        return r.exitStatus == 0 && !r.truncated ? r.stdout : nil
    }

    // MARK: Cleanup

    /// Disconnects and frees the session and the socket. Idempotent.
    public func close() {
        if let s = session {
            // Cleanup may need a packet or two; block for at most a quarter second.
            libssh2_session_set_blocking(s, 1)
            libssh2_session_set_timeout(s, 250)
            if handshaken { _ = libssh2_session_disconnect_ex(s, SSH_DISCONNECT_BY_APPLICATION, "labctl verify done", "") }
            _ = libssh2_session_free(s)
            session = nil
        }
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }

    // MARK: Internals

    private func openChannel(_ s: OpaquePointer) throws(SSHError) -> OpaquePointer {
        while true {
            if let c = libssh2_channel_open_ex(s, "session", 7, 2 * 1024 * 1024, 32768, nil, 0) { return c }
            guard libssh2_session_last_errno(s) == LIBSSH2_ERROR_EAGAIN else {
                throw SSHError(.channel, "the server refused a channel: \(lastError())")
            }
            try waitForSocket(.channel, "opening a channel")
        }
    }

    private func freeChannel(_ c: OpaquePointer) {
        // A channel that cannot be freed now (EAGAIN) is freed with the session in close().
        _ = libssh2_channel_free(c)
    }

    /// Calls `body` until it stops returning EAGAIN, polling the socket in between.
    private func retry(_ step: SSHError.Step, _ what: String, _ body: () -> Int32) throws(SSHError) -> Int32 {
        while true {
            let rc = body()
            guard rc == LIBSSH2_ERROR_EAGAIN else { return rc }
            try waitForSocket(step, what)
        }
    }

    private func waitForSocket(_ step: SSHError.Step, _ what: String) throws(SSHError) {
        var events: Int16 = 0
        if let s = session {
            let directions = libssh2_session_block_directions(s)
            if directions & LIBSSH2_SESSION_BLOCK_INBOUND != 0 { events |= Int16(POLLIN) }
            if directions & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { events |= Int16(POLLOUT) }
        }
        if events == 0 { events = Int16(POLLIN) }
        while true {
            let remaining = deadline.remainingMilliseconds
            guard remaining > 0 else { throw SSHError(step, "\(what) timed out", timedOut: true) }
            var p = pollfd(fd: fd, events: events, revents: 0)
            let n = poll(&p, 1, remaining)
            if n > 0 { return }
            if n == 0 { throw SSHError(step, "\(what) timed out", timedOut: true) }
            if errno != EINTR { throw SSHError(step, "\(what): poll failed (\(String(cString: strerror(errno))))") }
        }
    }

    private func lastError() -> String {
        guard let s = session else { return "no session" }
        var message: UnsafeMutablePointer<CChar>?
        var length: Int32 = 0
        let code = libssh2_session_last_error(s, &message, &length, 0)
        guard let message, length > 0 else { return "libssh2 error \(code)" }
        return String(cString: message)
    }

    /// Non-blocking connect to the first address that answers, bounded by the deadline.
    private static func connect(host: String, port: Int, deadline: Deadline) throws(SSHError) -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let gai = getaddrinfo(host, String(port), &hints, &list)
        guard gai == 0, let first = list else {
            throw SSHError(.resolve, "cannot resolve \(host): \(String(cString: gai_strerror(gai)))")
        }
        defer { freeaddrinfo(list) }
        var lastFailure = SSHError(.connect, "no address for \(host)")
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let ai = cursor {
            cursor = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { continue }
            let flags = fcntl(fd, F_GETFL)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 { return fd }
            guard errno == EINPROGRESS else {
                lastFailure = SSHError(.connect, "connection to \(host) port \(port) failed: \(String(cString: strerror(errno)))")
                Glibc.close(fd)
                continue
            }
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            var n: Int32
            repeat { n = poll(&p, 1, max(1, deadline.remainingMilliseconds)) } while n < 0 && errno == EINTR
            if n == 0 || deadline.hasPassed && n <= 0 {
                Glibc.close(fd)
                throw SSHError(.connect, "no TCP answer from \(host) port \(port) within the deadline", timedOut: true)
            }
            var soError: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
            if n > 0 && soError == 0 { return fd }
            let reason = soError == ECONNREFUSED ? "connection refused" : String(cString: strerror(soError == 0 ? errno : soError))
            lastFailure = SSHError(.connect, "\(host) port \(port): \(reason)")
            Glibc.close(fd)
        }
        throw lastFailure
    }
}

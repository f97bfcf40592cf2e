import Foundation

/// Follows a log file that a child appends to, line by line, on a thread of its own.
/// Terraform writes into its log file rather than into a pipe to labctl: when labctl's
/// terminal goes away, or labctl itself dies, Terraform keeps writing and finishes its run
/// (no SIGPIPE mid-apply, no instance left out of the state); labctl reads progress from the file.
// @unchecked Sendable: `stopping` is only touched under `lock`; the descriptor belongs to the thread.
final class LogFollower: @unchecked Sendable {
    private let path: String
    private let offset: UInt64
    private let onLine: @Sendable (String) -> Void
    private let lock = NSLock()
    private var stopping = false
    private let drained = DispatchSemaphore(value: 0)
    /// How long the follower sleeps when it has caught up with the writer.
    static let pollInterval: useconds_t = 50_000

    init(path: String, from offset: UInt64, onLine: @escaping @Sendable (String) -> Void) {
        self.path = path
        self.offset = offset
        self.onLine = onLine
    }

    func start() {
        let thread = Thread { [self] in follow() }
        thread.name = "LogFollower"
        thread.start()
    }

    /// Call once the writer has exited: reads what is left, then returns.
    func finish() async {
        lock.withLock { stopping = true }
        let drained = drained
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { drained.wait(); done.resume() }
        }
    }

    private func follow() {
        defer { drained.signal() }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        lseek(fd, off_t(offset), SEEK_SET)
        var pending = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            // Read the flag before reading: a read that finds nothing after the writer ended has drained the file.
            lock.lock(); let last = stopping; lock.unlock()
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n > 0 {
                pending.append(contentsOf: buffer[0..<n])
                while let newline = pending.firstIndex(of: 0x0A) {
                    onLine(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...newline)
                }
                continue
            }
            if last || n < 0 { break }
            usleep(Self.pollInterval)
        }
        if !pending.isEmpty { onLine(String(decoding: pending, as: UTF8.self)) }
    }
}

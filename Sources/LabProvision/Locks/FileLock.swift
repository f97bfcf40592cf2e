import Foundation

/// An exclusive advisory lock on a file (flock(2)), released when the holder
/// exits, crashes included, so a dead labctl never leaves a session locked.
/// The file names the holder (pid, command, since) for whoever has to wait.
// @unchecked Sendable: one owner acquires and releases; the descriptor is not shared between tasks.
public final class FileLock: @unchecked Sendable {
    public let path: String
    private var fd: Int32 = -1

    public init(path: String) { self.path = path }

    deinit { release() }

    /// Tries once; on success writes `holder` into the file.
    public func tryAcquire(holder: String) throws -> Bool {
        if fd < 0 {
            let dir = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return false }
        _ = ftruncate(fd, 0)
        let data = Array(holder.utf8)
        _ = data.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return true
    }

    /// Waits (polling, so the caller can report who holds it) until acquired or `timeout` passes.
    public func acquire(holder: String, wait: Bool, timeout: TimeInterval = .infinity,
                        onBusy: (String) -> Void = { _ in }) async throws -> Bool {
        if try tryAcquire(holder: holder) { return true }
        guard wait else { return false }
        onBusy(currentHolder())
        let deadline = Date().addingTimeInterval(timeout)
        var delay: UInt64 = 50_000_000
        while Date() < deadline {
            try await Task.sleep(nanoseconds: delay)
            if try tryAcquire(holder: holder) { return true }
            delay = min(delay * 2, 1_000_000_000)
        }
        return false
    }

    /// What the current holder wrote ("pid 123, labctl apply, since …").
    public func currentHolder() -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return text.isEmpty ? "another labctl process" : text
    }

    public func release() {
        guard fd >= 0 else { return }
        _ = ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    /// A description of this process for the lock file.
    public static func describeSelf(verb: String) -> String {
        let since = ISO8601DateFormatter().string(from: Date())
        return "held by pid \(getpid()) (labctl \(verb)) on \(ProcessInfo.processInfo.hostName) since \(since)"
    }
}

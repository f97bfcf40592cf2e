import Foundation

extension ChildProcess {
    /// Where a child's stdin comes from.
    public enum Input: Sendable {
        /// /dev/null: the child never waits on a terminal.
        case null
        /// These bytes, then end of file.
        case data(Data)
        /// A pipe the caller writes with `write(_:)` and ends with `closeInput()`.
        case pipe
    }

    /// Where a child's stdout or stderr goes.
    public enum Output: Sendable {
        /// /dev/null.
        case discard
        /// The parent's own descriptor (the user's terminal).
        case inherit
        /// Appended to (`append`) or written over a file; created 0600 if missing.
        case file(URL, append: Bool)
        /// Kept in memory: read with `stdout`/`stderr`, or wait for a line with `waitForOutput`.
        case capture
        /// Each line as it arrives (without the newline), in order, on a reader thread.
        case lines(@Sendable (String) -> Void)
        /// Only for stderr: into the same place as stdout (2>&1).
        case sameAsStdout
    }
}

/// Reads one pipe on its own thread (blocking reads never run on Swift's cooperative
/// pool), keeping the bytes or splitting them into lines.
// @unchecked Sendable: `data` is only touched under `condition`; the fd belongs to the reader thread.
final class OutputReader: @unchecked Sendable {
    private let fd: Int32
    private let onLine: (@Sendable (String) -> Void)?
    private let condition: NSCondition
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    /// `condition` is shared with the process state so that waiters wake on output and on exit alike.
    init(fd: Int32, onLine: (@Sendable (String) -> Void)?, condition: NSCondition) {
        self.fd = fd
        self.onLine = onLine
        self.condition = condition
    }

    func start() {
        let thread = Thread { [self] in
            var pending = Data()
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                let chunk = Data(buffer[0..<n])
                if let onLine {
                    pending.append(chunk)
                    while let newline = pending.firstIndex(of: 0x0A) {
                        onLine(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                        pending.removeSubrange(pending.startIndex...newline)
                    }
                } else {
                    condition.lock(); data.append(chunk); condition.broadcast(); condition.unlock()
                }
            }
            if let onLine, !pending.isEmpty { onLine(String(decoding: pending, as: UTF8.self)) }
            close(fd)
            done.signal()
        }
        thread.name = "ChildProcess output"
        thread.start()
    }

    /// The bytes read so far (capture mode); call with `condition` held.
    var text: String { String(decoding: data, as: UTF8.self) }

    /// Waits until the pipe reached end of file.
    func join() { done.wait() }
}

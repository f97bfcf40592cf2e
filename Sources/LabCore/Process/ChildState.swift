import Foundation

/// What one child's watchers share: its termination and its captured output, behind one condition.
// @unchecked Sendable: every mutable field is read and written with `condition` held.
final class ChildState: @unchecked Sendable {
    private let condition: NSCondition
    let stdout: OutputReader?
    let stderr: OutputReader?
    private var finished: Termination?
    private var inputClosed = false
    private var continuations: [CheckedContinuation<Termination, Never>] = []

    init(condition: NSCondition, stdout: OutputReader?, stderr: OutputReader?) {
        self.condition = condition
        self.stdout = stdout
        self.stderr = stderr
    }

    var termination: Termination? { condition.lock(); defer { condition.unlock() }; return finished }

    func finish(_ termination: Termination) {
        condition.lock()
        finished = termination
        let waiting = continuations
        continuations = []
        condition.broadcast()
        condition.unlock()
        for c in waiting { c.resume(returning: termination) }
    }

    /// Waits for the end (nil deadline: forever); nil if the deadline passed first.
    func wait(until deadline: Date?) -> Termination? {
        condition.lock(); defer { condition.unlock() }
        while finished == nil {
            if let deadline { guard condition.wait(until: deadline) else { return finished } } else { condition.wait() }
        }
        return finished
    }

    func termination() async -> Termination {
        await withCheckedContinuation { c in
            condition.lock()
            if let finished { condition.unlock(); c.resume(returning: finished); return }
            continuations.append(c)
            condition.unlock()
        }
    }

    func text(of reader: KeyPath<ChildState, OutputReader?>) -> String {
        condition.lock(); defer { condition.unlock() }
        return self[keyPath: reader]?.text ?? ""
    }

    func waitForStdout<T>(until deadline: Date, _ match: (String) -> T?) -> T? {
        condition.lock(); defer { condition.unlock() }
        while true {
            if let found = match(stdout?.text ?? "") { return found }
            // Finished means the pipes are drained too: no late line is missed.
            if finished != nil { return match(stdout?.text ?? "") }
            guard condition.wait(until: deadline) else { return match(stdout?.text ?? "") }
        }
    }

    func closeInputOnce(_ close: () -> Void) {
        condition.lock(); defer { condition.unlock() }
        guard !inputClosed else { return }
        inputClosed = true
        close()
    }
}

/// Whether a process group still has a member that is not a zombie. `kill(-pgid, 0)`
/// alone counts zombies, which linger where PID 1 does not reap orphans (containers).
enum ProcessGroup {
    static func hasLiveMembers(_ pgid: pid_t) -> Bool {
        guard kill(-pgid, 0) == 0 else { return false }
        #if os(Linux)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return true }
        for entry in entries where entry.first?.isNumber == true {
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // After "(comm)": state ppid pgrp ...
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 2, fields[2] == "\(pgid)", fields[0] != "Z" { return true }
        }
        return false
        #else
        return true
        #endif
    }
}

import Foundation

/// Runs blocking jobs on at most `width` dedicated threads (never Swift's
/// cooperative pool): the threads pull the next index until none is left.
enum DedicatedThreads {
    /// Calls `job(i)` for every i in 0..<count on min(width, count) threads; returns when all are done.
    /// `job` must be thread-safe.
    static func forEach(count: Int, width: Int, stackSize: Int = 512 * 1024, _ job: @escaping @Sendable (Int) -> Void) {
        guard count > 0 else { return }
        let cursor = Cursor()
        let group = DispatchGroup()
        for _ in 0..<max(1, min(width, count)) {
            group.enter()
            let thread = Thread {
                while let i = cursor.next(below: count) { job(i) }
                group.leave()
            }
            thread.stackSize = stackSize
            thread.start()
        }
        group.wait()
    }

    // @unchecked Sendable: every access holds `lock`.
    private final class Cursor: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next(below count: Int) -> Int? {
            lock.lock(); defer { lock.unlock() }
            guard value < count else { return nil }
            value += 1
            return value - 1
        }
    }
}

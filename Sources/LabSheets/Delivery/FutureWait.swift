import Foundation
import NIOCore

extension EventLoopFuture where Value: Sendable {
    /// Blocks the calling thread (never an event loop thread) until the future completes
    /// or `timeout` seconds pass; nil when time ran out. NIO's own `wait()` has no
    /// deadline, and the SMTP conversation must never hang on a silent server.
    func wait(timeout: Double) -> Result<Value, Error>? {
        let box = ResultBox<Value>()
        whenComplete { box.put($0) }
        return box.take(until: Date(timeIntervalSinceNow: timeout))
    }
}

/// One result handed from the event loop to a waiting thread.
private final class ResultBox<Value: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<Value, Error>?

    func put(_ value: Result<Value, Error>) {
        condition.lock()
        result = value
        condition.broadcast()
        condition.unlock()
    }

    func take(until deadline: Date) -> Result<Value, Error>? {
        condition.lock()
        defer { condition.unlock() }
        while result == nil && condition.wait(until: deadline) {}
        return result
    }
}

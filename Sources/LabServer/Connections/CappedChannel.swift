import HummingbirdCore
import Logging
import NIOCore

/// Wraps Hummingbird's child channel (HTTP/1, or TLS around it) so that every accepted
/// connection is first counted by the `ConnectionLimiter`: one over a cap is closed
/// before any HTTP handler is set up, and a closed one is counted out.
struct CappedChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let limiter: ConnectionLimiter
    let refusals: RefusalLog

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let key = limiter.key(for: channel.remoteAddress)
        if let refusal = limiter.admit(key) {
            refusals.note(refusal, logger: logger)
            // NIO drops a failed child set-up without closing the socket: close it here.
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(refusal)
        }
        let limiter = limiter
        channel.closeFuture.whenComplete { _ in limiter.release(key) }
        return base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

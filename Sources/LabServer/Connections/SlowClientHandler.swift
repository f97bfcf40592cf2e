import Hummingbird
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client is too slow (issue 23, item 3). An idle timeout
/// alone does not stop a client that trickles a byte every few seconds, so each phase
/// of a request has its own deadline, measured from the phase's start and not
/// renewed by further bytes:
/// - head: complete within `header`, counted from connecting (first request) or from
///   the first byte of the next request on a kept-alive connection;
/// - body: complete within `body`, counted from the end of the head;
/// - between requests: the connection closes after `keepAlive` without a new byte.
/// While the service works on an answer no deadline runs. Sits after Hummingbird's
/// HTTP/1 decoder (it sees request heads and ends, and `channelReadComplete` for every
/// read of the socket, also one that decoded nothing yet). A request cut off by a
/// deadline ends in its route as 408 (not as an internal error in the log).
final class SlowClientHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    struct Timeouts: Sendable {
        var header: TimeAmount
        var body: TimeAmount
        var keepAlive: TimeAmount
    }

    private enum Phase {
        /// Between requests, nothing of the next one read yet.
        case waiting
        /// Bytes of a head arrived (or the connection is new), the head is not complete.
        case head
        /// Head read, body not complete.
        case body
        /// Request complete: the service is answering.
        case answering
    }

    private let timeouts: Timeouts
    private var phase = Phase.head
    /// Requests whose response has not ended yet (a client may pipeline).
    private var answersOwed = 0
    private var deadline: Scheduled<Void>?
    /// A deadline closed the connection: the decoder's complaint about the cut-off request is replaced.
    private var timedOut = false

    init(_ timeouts: Timeouts) { self.timeouts = timeouts }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive, deadline == nil { arm(timeouts.header, context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelActive(context: ChannelHandlerContext) {
        if deadline == nil, phase == .head { arm(timeouts.header, context: context) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            answersOwed += 1
            phase = .body
            arm(timeouts.body, context: context)
        case .body:
            break
        case .end:
            phase = .answering
            disarm()
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        switch phase {
        case .waiting:
            // The first bytes of the next request: its head's clock starts now.
            phase = .head
            arm(timeouts.header, context: context)
        case .head, .body, .answering:
            break
        }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            answersOwed -= 1
            if answersOwed <= 0, phase == .answering {
                // Bytes of a next request that arrived meanwhile wait under the keep-alive deadline;
                // the next read starts its head's clock.
                answersOwed = 0
                phase = .waiting
                arm(timeouts.keepAlive, context: context)
            }
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard timedOut else { return context.fireErrorCaught(error) }
        context.fireErrorCaught(HTTPError(.requestTimeout, message: "the request did not arrive in time"))
    }

    private func arm(_ amount: TimeAmount, context: ChannelHandlerContext) {
        disarm()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: amount) {
            self.deadline = nil
            self.timedOut = true
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}

@available(*, unavailable)
extension SlowClientHandler: Sendable {}

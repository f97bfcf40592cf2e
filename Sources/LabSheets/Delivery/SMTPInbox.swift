import Foundation
import NIOCore

/// What the event loop hands the synchronous SMTP conversation: the bytes received so far
/// and how the stream ended. Guarded by one condition variable.
final class SMTPInbox: @unchecked Sendable {
    enum Next {
        case bytes([UInt8])
        case closed
        case failed(Error)
        case timedOut
    }

    private let condition = NSCondition()
    private var bytes: [UInt8] = []
    private var closed = false
    private var failure: Error?

    /// More unread bytes than any SMTP reply needs: a server flooding the connection is cut off
    /// here instead of filling memory (the reader refuses lines over 64 KiB anyway).
    static let unreadLimit = 1 << 20

    /// False once the server has sent more than `unreadLimit` unread bytes: the caller closes.
    func receive(_ chunk: [UInt8]) -> Bool {
        var within = true
        update {
            if $0.bytes.count + chunk.count > Self.unreadLimit {
                within = false
                if $0.failure == nil { $0.failure = SMTPInbox.Flooded() }
            } else {
                $0.bytes += chunk
            }
        }
        return within
    }

    struct Flooded: Error, CustomStringConvertible {
        var description: String { "the server sent more than \(SMTPInbox.unreadLimit / 1024) KiB nobody asked for" }
    }
    func close() { update { $0.closed = true } }
    /// The first error wins: it is the cause, later ones are consequences.
    func fail(_ error: Error) { update { if $0.failure == nil { $0.failure = error } } }

    /// Waits for bytes, the end of the stream or the deadline; bytes already received come first.
    func next(until deadline: Date) -> Next {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if !bytes.isEmpty {
                defer { bytes.removeAll() }
                return .bytes(bytes)
            }
            if let failure { return .failed(failure) }
            if closed { return .closed }
            if !condition.wait(until: deadline) { return .timedOut }
        }
    }

    /// The error the channel reported, if any: the cause behind a later "closed channel".
    var firstFailure: Error? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }

    /// True when bytes arrived that nobody has read yet.
    var hasUnread: Bool {
        condition.lock()
        defer { condition.unlock() }
        return !bytes.isEmpty
    }

    private func update(_ change: (SMTPInbox) -> Void) {
        condition.lock()
        change(self)
        condition.broadcast()
        condition.unlock()
    }
}

/// The last handler of the channel: passes everything on to the inbox.
final class SMTPInboxHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let inbox: SMTPInbox

    init(inbox: SMTPInbox) { self.inbox = inbox }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !inbox.receive(Array(unwrapInboundIn(data).readableBytesView)) { context.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) { inbox.close() }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        inbox.fail(error)
        context.close(promise: nil)
    }

}

import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// The byte stream under an SMTP conversation: a NIO channel, with TLS from the start
/// (`--smtps`) or added mid-stream (`STARTTLS`). Its calls block the calling thread
/// (never an event loop) and each is bounded by the timeout. NIOSSL holds back what is
/// written until its handshake is done, so a certificate that does not verify surfaces
/// as the error of the first read after it, and nothing was sent over the failed TLS.
final class SMTPChannel {
    let endpoint: SMTPEndpoint
    private let timeout: Double
    private let channel: Channel
    private let inbox: SMTPInbox
    /// The TLS under the conversation, once there is one: errors are then read as TLS errors.
    private var tls: SMTPTLS?

    /// Connects; with implicit TLS the handshake starts at once and its outcome (the
    /// certificate check) shows at the first read, the server's greeting.
    init(endpoint: SMTPEndpoint, implicitTLS: SMTPTLS?, timeout: Double) throws(SMTPError) {
        self.endpoint = endpoint
        self.timeout = timeout
        let inbox = SMTPInbox()
        self.inbox = inbox
        tls = implicitTLS
        let serverName = endpoint.tlsServerName
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(Int64(timeout * 1000)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let implicitTLS {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: implicitTLS.context, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(SMTPInboxHandler(inbox: inbox))
                }
            }
        switch bootstrap.connect(host: endpoint.host, port: Int(endpoint.port)).wait(timeout: timeout + 1) {
        case .success(let channel)?: self.channel = channel
        case .failure(let error)?: throw .connect(endpoint: endpoint.description, reason: Self.connectReason(error, timeout: timeout))
        case nil: throw .connect(endpoint: endpoint.description, reason: "timed out after \(Int(timeout)) s")
        }
    }

    deinit { close() }

    func close() { channel.close(promise: nil) }

    func write(_ bytes: [UInt8]) throws(SMTPError) {
        switch channel.writeAndFlush(ByteBuffer(bytes: bytes)).wait(timeout: timeout) {
        case .success?: return
        case .failure(let error)?: throw failure(error)
        case nil: throw .connection(endpoint: endpoint.description, reason: "timed out writing")
        }
    }

    /// The next bytes from the server (at least one).
    func read() throws(SMTPError) -> [UInt8] {
        switch inbox.next(until: Date(timeIntervalSinceNow: timeout)) {
        case .bytes(let bytes): return bytes
        case .closed: throw .connection(endpoint: endpoint.description, reason: "the server closed the connection")
        case .failed(let error): throw failure(error)
        case .timedOut: throw .connection(endpoint: endpoint.description, reason: "no answer within the timeout" + (tls == nil ? "" : " (TLS)"))
        }
    }

    /// After the server's 220 to STARTTLS: TLS under the conversation (the certificate is
    /// checked before the next command goes out).
    /// Bytes the server sent before the handshake would be plaintext smuggled into the
    /// encrypted session (RFC 3207 §6), so they end the conversation.
    func startTLS(_ tls: SMTPTLS) throws(SMTPError) {
        guard !inbox.hasUnread else {
            throw .tls(endpoint: endpoint.description, mode: tls.mode.rawValue, reason: "the server sent data before the TLS handshake")
        }
        let serverName = endpoint.tlsServerName
        let added = channel.eventLoop.submit { [channel] in
            try channel.pipeline.syncOperations.addHandler(
                NIOSSLClientHandler(context: tls.context, serverHostname: serverName), position: .first)
        }
        switch added.wait(timeout: timeout) {
        case .success?: break
        case .failure(let error)?: throw .tls(endpoint: endpoint.description, mode: tls.mode.rawValue, reason: "\(error)")
        case nil: throw .tls(endpoint: endpoint.description, mode: tls.mode.rawValue, reason: "no TLS within \(Int(timeout)) s")
        }
        self.tls = tls
    }

    /// A write can fail with "closed channel" because the handshake failed a moment before:
    /// the error the channel reported first is the one to show.
    private func failure(_ reported: Error) -> SMTPError {
        let error = inbox.firstFailure ?? reported
        if let tls, SMTPTLSFailure.isTLSError(error) { return SMTPTLSFailure.classify(error, endpoint: endpoint, tls: tls) }
        let reason = (error as? IOError).map { String(cString: strerror($0.errnoCode)) } ?? "\(error)"
        return .connection(endpoint: endpoint.description, reason: reason)
    }

    /// "Connection refused" rather than NIO's type names; the first cause is the one that matters.
    static func connectReason(_ error: Error, timeout: Double) -> String {
        switch error {
        case let e as NIOConnectionError:
            if let dns = e.dnsAError ?? e.dnsAAAAError { return "cannot resolve the host (\(dns))" }
            if let first = e.connectionErrors.first { return connectReason(first.error, timeout: timeout) }
            return "no address for the host"
        case let e as IOError:
            return String(cString: strerror(e.errnoCode))
        case ChannelError.connectTimeout:
            return "timed out after \(Int(timeout)) s"
        default:
            return "\(error)"
        }
    }
}

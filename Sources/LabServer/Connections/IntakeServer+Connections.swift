import Hummingbird
import HummingbirdCore
import NIOCore

extension IntakeServer {
    /// HTTP/1 (inside TLS when `settings.certificate` is set) with the slow-client
    /// deadlines on every connection and the connection caps at accept (issue 23, item 3).
    /// Hummingbird's own idle timeout is not used: `SlowClientHandler` also closes a
    /// connection idle between requests; the header deadline also bounds the TLS handshake.
    static func guardedHTTP1(_ settings: IntakeSettings) -> HTTPServerBuilder {
        let timeouts = SlowClientHandler.Timeouts(header: .seconds(settings.headerTimeout),
                                                  body: .seconds(settings.bodyTimeout),
                                                  keepAlive: .seconds(settings.keepAliveTimeout))
        let limiter = ConnectionLimiter(perAddress: settings.maxConnectionsPerAddress, total: settings.maxConnections,
                                        trusted: settings.trustedProxies)
        let refusals = RefusalLog()
        return HTTPServerBuilder { responder in
            let http1 = HTTP1Channel(responder: responder,
                                     configuration: .init(additionalChannelHandlers: [SlowClientHandler(timeouts)]))
            guard let certificate = settings.certificate else {
                return CappedChannel(base: http1, limiter: limiter, refusals: refusals)
            }
            return CappedChannel(base: ReloadableTLSChannel(base: http1, certificate: certificate), limiter: limiter, refusals: refusals)
        }
    }
}

extension TimeAmount {
    /// Whole milliseconds of `seconds` (settings hold seconds, possibly fractional).
    static func seconds(_ seconds: Double) -> TimeAmount {
        .milliseconds(Int64((seconds * 1_000).rounded()))
    }
}

import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// Puts TLS in front of Hummingbird's HTTP/1 channel with the context the
/// `ServingCertificate` holds when the connection is accepted (HummingbirdTLS's
/// `TLSChannel` keeps one context for the server's lifetime, so a renewed certificate
/// would need a restart).
struct ReloadableTLSChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let certificate: ServingCertificate

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let context = certificate.context
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

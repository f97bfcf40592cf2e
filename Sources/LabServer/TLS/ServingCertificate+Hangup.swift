import Dispatch
import Foundation

extension ServingCertificate {
    /// Reloads the certificate on every SIGHUP (what certbot's deploy hook or
    /// `systemctl reload` sends) and hands `report` the outcome: the new certificate's
    /// summary, or why the old one is still served. Until the returned source is
    /// cancelled; SIGHUP no longer ends the process.
    public func reloadOnHangup(_ report: @escaping @Sendable (Result<String, TLSFilesError>) -> Void) -> any DispatchSourceSignal {
        // Dispatch reads the signal from its own source; the default action would end the process.
        signal(SIGHUP, SIG_IGN)
        // Reading files and building a TLS context is blocking work: off the event loops.
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "labctl.tls-reload"))
        source.setEventHandler { [self] in
            report(Result { () throws(TLSFilesError) in try reload() })
        }
        source.resume()
        return source
    }
}

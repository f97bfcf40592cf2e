import NIOSSL

/// How the connection to the SMTP server is encrypted, and whom its certificate must be
/// signed by. The certificate must also be issued for the host name in `--smtp` (or its
/// IP address); there is no switch to skip either check.
public struct SMTPTLS: Sendable {
    public enum Mode: String, Sendable {
        /// Plain connect, then `STARTTLS` (RFC 3207), usually port 587.
        case startTLS = "STARTTLS"
        /// TLS from the first byte (RFC 8314), usually port 465.
        case implicit = "implicit TLS"

        public var defaultPort: UInt16 { self == .startTLS ? 587 : 465 }
    }

    public let mode: Mode
    /// The PEM file of the trusted CA certificates; nil for the system's trust store.
    public let caFile: String?
    let context: NIOSSLContext

    public init(mode: Mode, caFile: String? = nil) throws(SMTPError) {
        self.mode = mode
        self.caFile = caFile
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .fullVerification
        if let caFile {
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(caFile)
            } catch {
                throw .badCAFile(path: caFile, reason: "\(error)")
            }
            guard !certificates.isEmpty else { throw .badCAFile(path: caFile, reason: "it holds no PEM certificate") }
            configuration.trustRoots = .certificates(certificates)
        } else {
            configuration.trustRoots = .default
        }
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .tlsSetup(reason: "\(error)")
        }
    }

    /// Whom the certificate was checked against, for messages.
    var trustDescription: String { caFile.map { "the CA in --ca-file \($0)" } ?? "a CA in the system's trust store" }
}

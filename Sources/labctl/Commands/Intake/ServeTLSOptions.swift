import ArgumentParser
import Foundation
import LabServer

/// `labctl serve`'s own HTTPS (issue 23, item 1): certificate chain and key, each
/// also an environment variable; both or neither.
struct ServeTLSOptions: ParsableArguments {
    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("Serve HTTPS with this PEM certificate chain (server certificate first, e.g. certbot's fullchain.pem). Default: $LABCTL_TLS_CERT.", valueName: "file"))
    var certificate: String?
    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The certificate's PEM private key, readable by its owner only (chmod 600). Default: $LABCTL_TLS_KEY.", valueName: "file"))
    var key: String?

    /// The certificate to serve (loaded and checked now), nil for plain HTTP.
    func load(environment: [String: String]) throws -> ServingCertificate? {
        let given = { (value: String?, name: String) in value ?? environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let certificate = given(self.certificate, "LABCTL_TLS_CERT")
        let key = given(self.key, "LABCTL_TLS_KEY")
        switch (certificate, key) {
        case (nil, nil):
            return nil
        case (let certificate?, let key?):
            do {
                return try ServingCertificate(TLSFiles(certificatePath: certificate, keyPath: key))
            } catch {
                throw LabFailure.usage(error.description)
            }
        case (nil, _):
            throw LabFailure.usage("--tls-key needs --tls-cert (or LABCTL_TLS_CERT): give the certificate chain the key belongs to.")
        case (_, nil):
            throw LabFailure.usage("--tls-cert needs --tls-key (or LABCTL_TLS_KEY): give the certificate's private key.")
        }
    }
}

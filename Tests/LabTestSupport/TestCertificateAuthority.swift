import Foundation

/// A certificate authority for TLS tests, made with the real `openssl` CLI in a
/// temporary directory: a self-signed CA (`caPath`) and server certificates it signs
/// for 127.0.0.1 and localhost, each with a serial number of the test's choosing (to
/// tell a renewed certificate from the old one). Keys are P-256, written mode 0600.
public struct TestCertificateAuthority {
    public let directory: TemporaryDirectory
    public var caPath: String { directory.file("ca.pem").path }

    /// A server certificate and its key, as files.
    public struct Issued {
        public let certificatePath: String
        public let keyPath: String
        /// Lower-case hex, as `openssl x509 -serial` prints it (without leading zeros).
        public let serial: String
    }

    public init(name: String = "labctl test CA") throws {
        directory = try TemporaryDirectory("test-ca")
        try Self.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                          "-keyout", directory.file("ca.key").path, "-out", caPath, "-days", "2", "-subj", "/CN=\(name)"])
    }

    /// Issues a server certificate for 127.0.0.1 and localhost with `serial`, written as
    /// `<name>.pem` (the chain: the certificate only, the CA is the trust anchor) and `<name>.key`.
    @discardableResult
    public func issue(_ name: String, serial: Int) throws -> Issued {
        let key = directory.file("\(name).key").path
        let request = directory.file("\(name).csr").path
        let certificate = directory.file("\(name).pem").path
        let extensions = try directory.write("\(name).ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\n").path
        try Self.openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                          "-keyout", key, "-out", request, "-subj", "/CN=127.0.0.1"])
        try Self.openssl(["x509", "-req", "-in", request, "-CA", caPath, "-CAkey", directory.file("ca.key").path,
                          "-set_serial", String(serial), "-days", "1", "-extfile", extensions, "-out", certificate])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        return Issued(certificatePath: certificate, keyPath: key, serial: String(serial, radix: 16))
    }

    /// The serial number of the certificate a TLS server on 127.0.0.1:`port` presents to a
    /// new connection (lower-case hex), after `openssl s_client` verified it against this CA;
    /// nil when the handshake or the verification fails.
    public func servedSerial(port: Int) throws -> String? {
        let client = try Shell.run(try Shell.which("openssl"),
                                   ["s_client", "-connect", "127.0.0.1:\(port)", "-CAfile", caPath,
                                    "-verify_return_error", "-verify_ip", "127.0.0.1", "-showcerts"],
                                   input: Data())
        guard client.status == 0, let begin = client.stdout.range(of: "-----BEGIN CERTIFICATE-----"),
              let end = client.stdout.range(of: "-----END CERTIFICATE-----", range: begin.upperBound..<client.stdout.endIndex)
        else { return nil }
        let pem = String(client.stdout[begin.lowerBound..<end.upperBound]) + "\n"
        let x509 = try Shell.run(try Shell.which("openssl"), ["x509", "-noout", "-serial"], input: Data(pem.utf8))
        guard x509.status == 0, let value = x509.stdout.split(separator: "=").last else { return nil }
        return String(value.trimmingCharacters(in: .whitespacesAndNewlines).drop { $0 == "0" }).lowercased()
    }

    public func remove() { directory.remove() }

    static func openssl(_ arguments: [String]) throws {
        let r = try Shell.run(try Shell.which("openssl"), arguments)
        guard r.status == 0 else { throw TestSupportError("openssl \(arguments.joined(separator: " ")) failed: \(r.stderr)") }
    }
}

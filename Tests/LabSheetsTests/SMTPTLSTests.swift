import Foundation
import LabSheets
import LabTestSupport
import XCTest

/// STARTTLS and implicit TLS against a real server (aiosmtpd on loopback) whose certificate
/// comes from a test CA made with the openssl CLI: delivered when the CA is given, refused
/// with the reason when the certificate does not verify, never a fall back to plain text.
final class SMTPTLSTests: XCTestCase {
    var ca: TestCertificateAuthority!
    var sinks: [SMTPSink] = []
    let login = SMTPCredentials(user: "lab", password: "s3cret pass")

    override func setUpWithError() throws { ca = try TestCertificateAuthority(name: "labctl SMTP test CA") }
    override func tearDown() {
        sinks.forEach { $0.stop() }
        ca.remove()
    }

    func sink(_ tls: SMTPSink.TLS?, excludeAuth: [String] = []) throws -> SMTPSink {
        let s = try SMTPSink(user: "lab", password: "s3cret pass", excludeAuth: excludeAuth, tls: tls)
        sinks.append(s)
        return s
    }

    func message(_ text: String = "Your cluster is ready.\n") throws -> MailMessage {
        MailMessage(from: try MailAddress("lab@example.org"), to: try MailAddress("zoe@example.org"),
                    subject: "Over TLS", date: Fixture.generatedAt, messageID: "tls.1@example.org", text: text, html: "<p>\(text)</p>")
    }

    func testStartTLSThenLoginDeliversWhenTheCertificateVerifiesAgainstTheCAFile() throws {
        let issued = try ca.issue("mail", serial: 1)
        let server = try sink(.startTLS(certificate: issued.certificatePath, key: issued.keyPath))
        let tls = try SMTPTLS(mode: .startTLS, caFile: ca.caPath)
        let mail = try message()
        // By address (the certificate's IP entry) and by name (its DNS entry, sent as SNI).
        for host in ["127.0.0.1", "localhost"] {
            let client = try SMTPClient(endpoint: SMTPEndpoint(host: host, port: UInt16(server.port)), tls: tls, credentials: login)
            XCTAssertEqual(try client.send(mail).code, 250, host)
        }
        let received = try server.received()
        XCTAssertEqual(received.map(\.recipients), [["zoe@example.org"], ["zoe@example.org"]])
        XCTAssertEqual(received[0].data.replacingOccurrences(of: "\r\n", with: "\n"), mail.rendered.replacingOccurrences(of: "\r\n", with: "\n"))
        XCTAssertEqual(server.authLog(), ["PLAIN lab ok (TLS)", "PLAIN lab ok (TLS)"], "the login went over TLS, after STARTTLS")
    }

    func testACertificateFromAnUntrustedCAIsRefusedWithTheReasonAndNothingIsSent() throws {
        let issued = try ca.issue("mail", serial: 2)
        let server = try sink(.startTLS(certificate: issued.certificatePath, key: issued.keyPath))
        // The system's trust store does not know the test CA.
        let client = try SMTPClient(endpoint: SMTPEndpoint(parsing: server.endpoint), tls: try SMTPTLS(mode: .startTLS), credentials: login)
        XCTAssertThrowsError(try client.send(try message())) { error in
            guard case .certificateNotVerified = error as? SMTPError else { return XCTFail("\(error)") }
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("the certificate of the SMTP server \(server.endpoint) does not verify: it does not chain to a CA in the system's trust store, or it has expired (NIOSSL: CERTIFICATE_VERIFY_FAILED). Nothing was sent."), text)
            XCTAssertTrue(text.contains("CERTIFICATE_VERIFY_FAILED"), text)
            XCTAssertTrue(text.contains("give that CA with --ca-file FILE (PEM)"), text)
            XCTAssertTrue((error as? SMTPError)?.endsTheBatch ?? false)
        }
        XCTAssertEqual(try server.received().count, 0)
        XCTAssertEqual(server.authLog(), [], "no password was offered")
    }

    func testACertificateForAnotherNameIsRefused() throws {
        // Signed by the trusted CA, but for mail.example.org only; the client asked for 127.0.0.1.
        let dir = ca.directory
        let openssl = try Shell.which("openssl")
        let ext = try dir.write("other.ext", "subjectAltName=DNS:mail.example.org\n")
        for args in [["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir.file("other.key").path,
                      "-out", dir.file("other.csr").path, "-subj", "/CN=mail.example.org"],
                     ["x509", "-req", "-in", dir.file("other.csr").path, "-CA", ca.caPath, "-CAkey", dir.file("ca.key").path,
                      "-set_serial", "3", "-days", "1", "-extfile", ext.path, "-out", dir.file("other.pem").path]] {
            let r = try Shell.run(openssl, args)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let server = try sink(.smtps(certificate: dir.file("other.pem").path, key: dir.file("other.key").path))
        let client = try SMTPClient(endpoint: SMTPEndpoint(parsing: server.endpoint), tls: try SMTPTLS(mode: .implicit, caFile: ca.caPath),
                                    credentials: login)
        XCTAssertThrowsError(try client.send(try message())) { error in
            XCTAssertTrue("\(error)".hasPrefix("the certificate of the SMTP server \(server.endpoint) does not verify: it is not issued for 127.0.0.1"), "\(error)")
            XCTAssertTrue("\(error)".contains("use that name in --smtp"), "\(error)")
        }
        XCTAssertEqual(try server.received().count, 0)
        XCTAssertEqual(server.authLog(), [])
    }

    func testImplicitTLSDeliversWithAuthLogin() throws {
        let issued = try ca.issue("mail", serial: 4)
        let server = try sink(.smtps(certificate: issued.certificatePath, key: issued.keyPath), excludeAuth: ["PLAIN"])
        let client = try SMTPClient(endpoint: SMTPEndpoint(parsing: server.endpoint), tls: try SMTPTLS(mode: .implicit, caFile: ca.caPath),
                                    credentials: login)
        let mail = try message("Lines SMTP would eat:\n.\n.hidden\n")
        XCTAssertEqual(try client.send(mail).code, 250)
        let received = try server.received()
        XCTAssertEqual(received.count, 1)
        XCTAssertEqual(received[0].data.replacingOccurrences(of: "\r\n", with: "\n"), mail.rendered.replacingOccurrences(of: "\r\n", with: "\n"))
        XCTAssertEqual(server.authLog(), ["LOGIN lab ok (TLS)"])
    }

    func testAServerWithoutStartTLSIsRefusedNeverPlainText() throws {
        let plain = try sink(nil)
        let client = try SMTPClient(endpoint: SMTPEndpoint(parsing: plain.endpoint), tls: try SMTPTLS(mode: .startTLS, caFile: ca.caPath),
                                    credentials: login)
        XCTAssertThrowsError(try client.send(try message())) { error in
            XCTAssertEqual(error as? SMTPError, .startTLSNotOffered(endpoint: plain.endpoint))
            XCTAssertTrue("\(error)".contains("does not offer STARTTLS, so nothing was sent (labctl never falls back to sending in clear)"))
        }
        XCTAssertEqual(try plain.received().count, 0)
        XCTAssertEqual(plain.authLog(), [], "the password never went out")
    }

    func testImplicitTLSToAPlainServerSaysToCheckThePort() throws {
        let plain = try sink(nil)
        let client = try SMTPClient(endpoint: SMTPEndpoint(parsing: plain.endpoint), tls: try SMTPTLS(mode: .implicit, caFile: ca.caPath),
                                    credentials: login, timeout: 10)
        XCTAssertThrowsError(try client.send(try message())) { error in
            guard case .tls = error as? SMTPError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("TLS with the SMTP server \(plain.endpoint) failed (implicit TLS)"), "\(error)")
            XCTAssertTrue("\(error)".contains("--starttls on 587, --smtps on 465"), "\(error)")
        }
        XCTAssertEqual(plain.authLog(), [])
    }

    func testACAFileWithoutACertificateIsRefused() throws {
        let notPEM = try ca.directory.write("not-a-ca.pem", "hello\n")
        XCTAssertThrowsError(try SMTPTLS(mode: .startTLS, caFile: notPEM.path)) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot use --ca-file \(notPEM.path): "), "\(error)")
            XCTAssertTrue("\(error)".contains("give a PEM file with the CA certificate(s)"), "\(error)")
        }
        XCTAssertThrowsError(try SMTPTLS(mode: .startTLS, caFile: ca.directory.file("missing.pem").path))
    }
}

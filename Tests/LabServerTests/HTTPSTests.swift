import Foundation
import LabCore
import LabServer
import LabTestSupport
import XCTest

/// `labctl serve --tls-cert --tls-key` (issue 23, item 1): HTTPS verified by real clients
/// (curl, `openssl s_client`) against a test CA made with the openssl CLI; https links,
/// Secure cookies and HSTS; the slow-client deadlines and connection caps under TLS; a
/// renewed certificate served after SIGHUP without a restart; key and certificate files
/// that cannot be served are refused with what to do.
final class HTTPSTests: XCTestCase {
    var ca: TestCertificateAuthority!

    override func setUpWithError() throws {
        ca = try TestCertificateAuthority()
    }

    override func tearDown() {
        ca?.remove()
        super.tearDown()
    }

    func served(_ issued: TestCertificateAuthority.Issued) throws -> ServingCertificate {
        try ServingCertificate(TLSFiles(certificatePath: issued.certificatePath, keyPath: issued.keyPath))
    }

    /// curl with the test CA as its only trust: status line, headers and body.
    func curl(_ url: String, _ extra: [String] = [], trustCA: Bool = true) throws -> Shell.Output {
        try Shell.run(try Shell.which("curl"), ["-sS", "--max-time", "30", "-D", "-"] + (trustCA ? ["--cacert", ca.caPath] : []) + extra + [url])
    }

    func testHTTPSVerifiesAgainstTheCAAndGivesHTTPSLinksSecureCookiesAndHSTS() async throws {
        var settings = IntakeSettings(port: 0)
        settings.certificate = try served(try ca.issue("server", serial: 1))
        let server = try await InProcessIntake.start(settings)
        let code = try server.fixture.open("s1")
        let base = "https://127.0.0.1:\(server.port)"

        let page = try curl("\(base)/join/\(code)")
        XCTAssertEqual(page.status, 0, page.stderr)
        XCTAssertTrue(page.stdout.hasPrefix("HTTP/1.1 200"), page.stdout)
        XCTAssertTrue(page.stdout.lowercased().contains("strict-transport-security: max-age=31536000"), page.stdout)
        let cookie = page.stdout.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie: labctl_csrf=") }
        XCTAssertNotNil(cookie, page.stdout)
        XCTAssertTrue(cookie?.contains("Secure") ?? false, "the form's cookie over TLS: \(cookie ?? "none")")
        XCTAssertTrue(page.stdout.contains("<form"), page.stdout)

        let key = TestKeys.ed25519().line
        let body = String(data: try JSONSerialization.data(withJSONObject: ["first_name": "Ada", "last_name": "Lovelace", "public_key": key]), encoding: .utf8)!
        let joined = try curl("\(base)/api/v1/join/\(code)", ["-H", "Content-Type: application/json", "--data-binary", body])
        XCTAssertTrue(joined.stdout.hasPrefix("HTTP/1.1 201"), joined.stdout + joined.stderr)
        XCTAssertTrue(joined.stdout.contains("\"edit_url\":\"\(base)/me/"), "links name https and the bound port: \(joined.stdout)")

        // The verification is real: without the test CA curl refuses the certificate (60: not trusted),
        // and plain HTTP on the TLS port gets no HTTP answer.
        let untrusted = try curl("\(base)/healthz", trustCA: false)
        XCTAssertEqual(untrusted.status, 60, untrusted.stdout + untrusted.stderr)
        let plain = try curl("http://127.0.0.1:\(server.port)/healthz")
        XCTAssertNotEqual(plain.status, 0, plain.stdout)
        XCTAssertFalse(plain.stdout.contains("HTTP/1.1 200"), plain.stdout)
        try await server.stop()
    }

    func testTheHeaderDeadlineAndTheConnectionCapHoldOnTheTLSPort() async throws {
        var settings = IntakeSettings(port: 0)
        settings.certificate = try served(try ca.issue("server", serial: 1))
        settings.headerTimeout = 1
        settings.keepAliveTimeout = 60
        settings.maxConnectionsPerAddress = 3
        let server = try await InProcessIntake.start(settings)

        // Four sockets from one address that never start their handshake: the fourth is over
        // the cap and closed at once, the three others by the 1 s head deadline.
        let sockets = try (0..<4).map { _ in try RawSocket(from: "127.0.0.5", to: server.port) }
        defer { sockets.forEach { $0.close() } }
        let capped = SlowClientTests.waitForClosures(sockets, count: 1)
        XCTAssertEqual(capped.count, 3, "3 connections per address, the 4th closed")
        XCTAssertEqual(RawSocket.waitUntilClosed(capped, timeout: 30).count, 0, "a silent TLS client is closed by the head deadline")
        // Another address is served meanwhile, over TLS.
        let health = try curl("https://127.0.0.1:\(server.port)/healthz")
        XCTAssertTrue(health.stdout.hasPrefix("HTTP/1.1 200"), health.stdout + health.stderr)
        try await server.stop()
    }

    func testFilesThatCannotBeServedAreRefusedWithWhatToDo() throws {
        let good = try ca.issue("server", serial: 1)
        let other = try ca.issue("other", serial: 2)
        func refusal(_ certificate: String, _ key: String) -> String? {
            do {
                _ = try ServingCertificate(TLSFiles(certificatePath: certificate, keyPath: key))
                return nil
            } catch {
                return error.description
            }
        }
        XCTAssertNil(refusal(good.certificatePath, good.keyPath))

        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: good.keyPath)
        XCTAssertEqual(refusal(good.certificatePath, good.keyPath),
                       "the TLS private key \(good.keyPath) can be read by others (mode 640): run `chmod 600 \(good.keyPath)`, then start labctl serve again (or, while it runs, send it SIGHUP).")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: good.keyPath)

        let mismatch = refusal(good.certificatePath, other.keyPath) ?? ""
        XCTAssertTrue(mismatch.hasPrefix("the TLS private key \(other.keyPath) does not belong to the certificate in \(good.certificatePath)"), mismatch)

        let garbage = try ca.directory.write("garbage.pem", "not a certificate\n").path
        let notPEM = refusal(garbage, good.keyPath) ?? ""
        XCTAssertTrue(notPEM.hasPrefix("\(garbage) is not a PEM certificate chain"), notPEM)
        let keyAsCertificate = refusal(good.keyPath, good.keyPath) ?? ""
        XCTAssertTrue(keyAsCertificate.contains("is not a PEM certificate chain"), keyAsCertificate)

        let missing = ca.directory.file("missing.pem").path
        XCTAssertEqual(refusal(missing, good.keyPath),
                       "cannot read the TLS certificate \(missing): no such file. Give the path of a readable PEM file (--tls-cert/--tls-key or LABCTL_TLS_CERT/LABCTL_TLS_KEY).")
    }

    func testAFailedReloadKeepsTheCertificateInUse() throws {
        let issued = try ca.issue("server", serial: 7)
        let certificate = try served(issued)
        let before = certificate.summary
        XCTAssertTrue(before.contains("serial 07"), before)
        XCTAssertTrue(before.hasPrefix("127.0.0.1, localhost ("), before)
        try Data("-----BEGIN CERTIFICATE-----\ntruncated\n".utf8).write(to: URL(fileURLWithPath: issued.certificatePath))
        XCTAssertThrowsError(try certificate.reload())
        XCTAssertEqual(certificate.summary, before)
    }

    // MARK: labctl serve (the built binary)

    func testServeReloadsARenewedCertificateOnSIGHUPAndKeepsRunning() throws {
        let lab = try LabFolder()
        defer { lab.remove() }
        let first = try ca.issue("served", serial: 1)
        let server = try ServerProcess(lab: lab.url, arguments: ["--tls-cert", first.certificatePath],
                                       environment: ["LABCTL_ADMIN_TOKEN": "a-long-enough-admin-token", "LABCTL_TLS_KEY": first.keyPath])
        XCTAssertTrue(server.stdout.contains("serving on https://127.0.0.1:\(server.port)"), server.stdout)
        XCTAssertTrue(server.stdout.contains("dashboard: https://127.0.0.1:\(server.port)/admin"), server.stdout)
        XCTAssertTrue(server.stdout.contains("tls:       127.0.0.1, localhost (serial 01"), server.stdout)
        XCTAssertEqual(try ca.servedSerial(port: server.port), "1")

        // Renewal as certbot does it: new files in place (renamed over the old ones), then SIGHUP.
        let renewed = try ca.issue("renewed", serial: 2)
        XCTAssertEqual(rename(renewed.certificatePath, first.certificatePath), 0)
        XCTAssertEqual(rename(renewed.keyPath, first.keyPath), 0)
        server.process.signalGroup(SIGHUP)
        let reloaded = server.process.waitForOutput(timeout: 30) { $0.contains("TLS certificate reloaded: now serving 127.0.0.1, localhost (serial 02") ? true : nil }
        XCTAssertEqual(reloaded, true, server.stdout + server.stderr)
        XCTAssertEqual(try ca.servedSerial(port: server.port), "2", "a new connection gets the renewed certificate")
        XCTAssertTrue(server.process.isRunning, server.stderr)

        // A broken renewal: the error says why, the renewed certificate stays in use.
        try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: first.certificatePath))
        server.process.signalGroup(SIGHUP)
        let deadline = Date().addingTimeInterval(30)
        while !server.stderr.contains("TLS certificate not reloaded"), Date() < deadline { usleep(50_000) }
        XCTAssertTrue(server.stderr.contains("error: TLS certificate not reloaded, still serving 127.0.0.1, localhost (serial 02"), server.stderr)
        XCTAssertTrue(server.stderr.contains("\(first.certificatePath) is not a PEM certificate chain"), server.stderr)
        XCTAssertEqual(try ca.servedSerial(port: server.port), "2")
        XCTAssertEqual(server.terminate(), 0, server.stderr)
    }

    func testServeRefusesAKeyOthersCanReadWithTheChmodToRun() throws {
        let lab = try LabFolder()
        defer { lab.remove() }
        let issued = try ca.issue("server", serial: 1)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: issued.keyPath)
        let env = ["LABCTL_ADMIN_TOKEN": "a-long-enough-admin-token"]
        var r = try lab.dir.labctl(["serve", "--port", "0", "--tls-cert", issued.certificatePath, "--tls-key", issued.keyPath], env: env)
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("run `chmod 600 \(issued.keyPath)`"), r.stderr)
        XCTAssertFalse(r.stdout.contains("serving on"), r.stdout)

        r = try lab.dir.labctl(["serve", "--port", "0", "--tls-cert", issued.certificatePath], env: env)
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("--tls-cert needs --tls-key (or LABCTL_TLS_KEY)"), r.stderr)

        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: issued.keyPath)
        r = try lab.dir.labctl(["serve", "--port", "0", "--tls-cert", issued.certificatePath, "--tls-key", issued.keyPath,
                                "--public-url", "http://lab.example.org"], env: env)
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("public URL 'http://lab.example.org' is http:// but serve has a TLS certificate"), r.stderr)
    }
}

import Foundation
import LabCore
import LabStore
import LabTestSupport
import XCTest

/// `labctl sheets --send` against a real SMTP server on loopback: one mail per
/// participant, every result recorded, a re-run sends only what is left.
final class SheetsDeliveryTests: XCTestCase {
    var lab: SheetsLab!
    var sinks: [SMTPSink] = []

    override func setUpWithError() throws { lab = try SheetsLab() }
    override func tearDown() {
        sinks.forEach { $0.stop() }
        lab.remove()
    }

    func sink(reject: [String] = [], user: String? = nil, password: String? = nil, excludeAuth: [String] = []) throws -> SMTPSink {
        let s = try SMTPSink(reject: reject, user: user, password: password, excludeAuth: excludeAuth)
        sinks.append(s)
        return s
    }

    func parse(_ received: [SMTPSink.Received]) throws -> [[String: Any]] {
        let paths = try received.enumerated().map { i, m in try lab.dir.write("received-\(i).eml", m.data).path }
        return try XCTUnwrap(try Python.json("parse-eml.py", paths) as? [[String: Any]])
    }

    func testSendsOneMailPerReadyParticipantWithAnAddressAndReRunSendsNothing() throws {
        let smtp = try sink()
        let started = Date()
        var r = try lab.labctl(["sheets", lab.session, "--include-unready", "--send", "--smtp", smtp.endpoint, "--rate", "120"])
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("bobby.tables: not mailed, no e-mail address"), r.stderr)
        XCTAssertTrue(r.stdout.contains("k8s-lab: 2 sent, 0 failed via \(smtp.endpoint)"), r.stdout)
        XCTAssertGreaterThanOrEqual(elapsed, 0.5, "two mails at 120 per minute are at least half a second apart")

        let received = try smtp.received()
        XCTAssertEqual(received.map(\.recipients), [["jane.doe@example.org"], ["zoe@example.org"]])
        XCTAssertEqual(Set(received.map(\.mailFrom)), ["renee@example.org"])
        let parsed = try parse(received)
        XCTAssertEqual(parsed.map { $0["subject"] as? String }, ["Your Kubernetes lab k8s-lab: access for Doe, Jane \"JD\"",
                                                                 "Your Kubernetes lab k8s-lab: access for Zoë Müller-Lüdenscheidt"])
        let janeText = try XCTUnwrap((parsed[0]["parts"] as? [[String: Any]])?.first?["body"] as? String)
        XCTAssertTrue(janeText.contains("ssh -i ~/.ssh/id_ed25519 ubuntu@203.0.113.20"))
        XCTAssertFalse(janeText.contains("203.0.113.10"), "nobody gets another participant's address")
        XCTAssertEqual(parsed.map { ($0["parts"] as? [[String: Any]])?.count }, [2, 2])

        let records = try lab.registry().deliveries(session: lab.session)
        XCTAssertEqual(Set(records.keys), ["jane.doe", "zoe.muller-ludenscheidt"])
        XCTAssertEqual(records["jane.doe"]?.status, .sent)
        XCTAssertTrue(records["jane.doe"]?.detail.hasPrefix("250 ") ?? false)

        r = try lab.labctl(["sheets", lab.session, "--include-unready", "--send", "--smtp", smtp.endpoint])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("jane.doe: already sent to jane.doe@example.org"), r.stdout)
        XCTAssertTrue(r.stdout.contains("k8s-lab: nothing to send"), r.stdout)
        XCTAssertEqual(try smtp.received().count, 2, "a re-run sends nothing more")

        // Jane sends a new key from a new address: the sheet goes to the new address, once.
        let key = try KeyGen.generate(in: lab.dir.file("keys"), name: "jane-new")
        try lab.registry().register(session: lab.session, name: try ParticipantName(canonical: "jane.doe"), email: "jd@example.net",
                                    key: try PublicKeyParser.parse(key.publicLine), via: .cli)
        r = try lab.labctl(["sheets", lab.session, "--include-unready", "--send", "--smtp", smtp.endpoint])
        XCTAssertTrue(r.stdout.contains("1 sent, 0 failed"), r.stdout)
        XCTAssertEqual(try smtp.received().last?.recipients, ["jd@example.net"])
        XCTAssertEqual(try smtp.received().count, 3)
    }

    func testAFailedRecipientIsRecordedAndOnlyItIsSentOnTheNextRun() throws {
        let first = try sink(reject: ["jane.doe@example.org"])
        var r = try lab.labctl(["sheets", lab.session, "--send", "--smtp", first.endpoint, "--rate", "600"])
        XCTAssertEqual(r.status, 1, "a failed mail (and the skipped unready master) make the run not ok")
        XCTAssertTrue(r.stdout.contains("✗ jane.doe: not sent to jane.doe@example.org: the server answered RCPT TO:<jane.doe@example.org> with 550"), r.stdout)
        XCTAssertTrue(r.stdout.contains("1 sent, 1 failed"), r.stdout)
        XCTAssertEqual(try first.received().map(\.recipients), [["zoe@example.org"]])
        let failed = try XCTUnwrap(try lab.registry().deliveries(session: lab.session)["jane.doe"])
        XCTAssertEqual(failed.status, .failed)
        XCTAssertTrue(failed.detail.contains("550"))

        let second = try sink()
        r = try lab.labctl(["sheets", lab.session, "--send", "--smtp", second.endpoint])
        XCTAssertTrue(r.stdout.contains("1 sent, 0 failed"), r.stdout)
        XCTAssertEqual(try second.received().map(\.recipients), [["jane.doe@example.org"]], "only what was not sent")
        let retried = try XCTUnwrap(try lab.registry().deliveries(session: lab.session)["jane.doe"])
        XCTAssertEqual(retried.status, .sent)
        XCTAssertEqual(retried.attempts, 2)
    }

    func testLoginWithAPasswordFileNeverShowsThePassword() throws {
        let password = "correct horse battery staple"
        let smtp = try sink(user: "lab", password: password, excludeAuth: ["PLAIN"])
        let wrongFile = try lab.dir.write("wrong-pass", "not the password\n")
        let rightFile = try lab.dir.write("smtp-pass", password + "\n")
        chmod(rightFile.path, 0o600)
        var r = try lab.labctl(["sheets", lab.session, "--send", "--smtp", smtp.endpoint, "--user", "lab", "--password-file", wrongFile.path])
        XCTAssertTrue(r.stdout.contains("with 535"), r.stdout)
        XCTAssertTrue(r.stderr.contains("wrong-pass is readable by others (mode 644)"), r.stderr)
        r = try lab.labctl(["sheets", lab.session, "--send", "--smtp", smtp.endpoint, "--user", "lab", "--password-file", rightFile.path, "--rate", "600"])
        XCTAssertTrue(r.stdout.contains("2 sent, 0 failed"), r.stdout)
        XCTAssertEqual(smtp.authLog().filter { $0.hasSuffix(" ok") }, ["LOGIN lab ok", "LOGIN lab ok"])
        XCTAssertEqual(try smtp.received().count, 2)
        XCTAssertFalse(r.stdout.contains(password) || r.stderr.contains(password))
        let db = try Data(contentsOf: URL(fileURLWithPath: lab.dbPath))
        XCTAssertNil(db.range(of: Data(password.utf8)), "the password is nowhere in the database")
        let audit = try lab.registry().auditLog(session: lab.session).map(\.detail).joined()
        XCTAssertFalse(audit.contains(password) || audit.contains("not the password"))
    }

    func testDryRunSendsAndRecordsNothing() throws {
        let smtp = try sink()
        let r = try lab.labctl(["sheets", lab.session, "--send", "--smtp", smtp.endpoint, "--dry-run", "--from", "lab@example.org"])
        XCTAssertTrue(r.stdout.contains("would send to zoe.muller-ludenscheidt <zoe@example.org>: Your Kubernetes lab k8s-lab: access for Zoë Müller-Lüdenscheidt"), r.stdout)
        XCTAssertTrue(r.stdout.contains("dry run, 2 mail(s) would be sent"), r.stdout)
        XCTAssertEqual(try smtp.received().count, 0)
        XCTAssertTrue(try lab.registry().deliveries(session: lab.session).isEmpty)
    }

    func testStartTLSWithALoginDeliversAndAnUntrustedCertificateStopsTheRunBeforeAnythingIsSent() throws {
        let ca = try TestCertificateAuthority(name: "labctl sheets test CA")
        defer { ca.remove() }
        let issued = try ca.issue("mail", serial: 1)
        let smtp = try SMTPSink(user: "lab", password: "app password", tls: .startTLS(certificate: issued.certificatePath, key: issued.keyPath))
        sinks.append(smtp)
        let pass = try lab.dir.write("smtp-pass", "app password\n")
        chmod(pass.path, 0o600)
        let send = ["sheets", lab.session, "--include-unready", "--send", "--smtp", smtp.endpoint, "--starttls",
                    "--user", "lab", "--password-file", pass.path, "--rate", "600"]

        // The system's trust store does not know the test CA: refused, nothing sent, nothing recorded.
        var r = try lab.labctl(send)
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("the certificate of the SMTP server \(smtp.endpoint) does not verify: it does not chain to a CA in the system's trust store"), r.stderr)
        XCTAssertTrue(r.stderr.contains("give that CA with --ca-file FILE (PEM)"), r.stderr)
        XCTAssertTrue(r.stdout.contains("k8s-lab: 0 sent, 0 failed, 2 not tried via \(smtp.endpoint) (STARTTLS)"), r.stdout)
        XCTAssertEqual(try smtp.received().count, 0)
        XCTAssertEqual(smtp.authLog(), [], "the password never went out")
        XCTAssertTrue(try lab.registry().deliveries(session: lab.session).isEmpty)

        r = try lab.labctl(send + ["--ca-file", ca.caPath])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("k8s-lab: 2 sent, 0 failed via \(smtp.endpoint) (STARTTLS)"), r.stdout)
        let received = try smtp.received()
        XCTAssertEqual(received.map(\.recipients), [["jane.doe@example.org"], ["zoe@example.org"]])
        XCTAssertEqual(try parse(received).map { $0["subject"] as? String }.first, "Your Kubernetes lab k8s-lab: access for Doe, Jane \"JD\"")
        XCTAssertEqual(smtp.authLog(), ["PLAIN lab ok (TLS)", "PLAIN lab ok (TLS)"], "each login after STARTTLS")
        XCTAssertEqual(try lab.registry().deliveries(session: lab.session)["jane.doe"]?.status, .sent)
    }

    func testTLSAndLoginRefusalsNameTheNextStep() throws {
        let pass = try lab.dir.write("pass", "x\n")
        var r = try lab.labctl(["sheets", lab.session, "--send", "--smtp", "smtp.example.org:587", "--user", "u", "--password-file", pass.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("labctl will not send a password unencrypted to smtp.example.org:587; add --starttls (port 587) or --smtps (port 465)"), r.stderr)
        r = try lab.labctl(["sheets", lab.session, "--send", "--smtp", "smtp.example.org"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--smtp 'smtp.example.org' is not HOST:PORT"), r.stderr)
        r = try lab.labctl(["sheets", lab.session, "--send", "--smtp", "smtp.example.org", "--starttls", "--smtps"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--starttls and --smtps exclude each other"), r.stderr)
        r = try lab.labctl(["sheets", lab.session, "--send", "--smtp", "127.0.0.1:25", "--ca-file", pass.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--ca-file goes with --starttls or --smtps"), r.stderr)
        r = try lab.labctl(["sheets", lab.session, "--send", "--smtp", "smtp.example.org", "--smtps", "--ca-file", pass.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("cannot use --ca-file \(pass.path)"), r.stderr)
        // rebuild --send takes the same options and checks them before any cluster is replaced.
        r = try lab.labctl(["rebuild", lab.session, "jane.doe", "-y", "--wait", "--send", "--smtp", "smtp.example.org:587",
                            "--user", "u", "--password-file", pass.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("labctl will not send a password unencrypted to smtp.example.org:587; add --starttls"), r.stderr)
        XCTAssertFalse(r.stdout.contains("rebuilt"), r.stdout)
        r = try lab.labctl(["rebuild", lab.session, "jane.doe", "-y", "--starttls"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--smtp, --starttls, --smtps, --ca-file, --user, --password-file and --from go with --send"), r.stderr)
        XCTAssertTrue(try lab.registry().deliveries(session: lab.session).isEmpty)
        XCTAssertFalse(FileManager.default.fileExists(atPath: lab.outDir.path), "refused before anything was written")

        // Found only when talking to the server (after the sheets are written): no STARTTLS, no mail.
        let plain = try sink()
        r = try lab.labctl(["sheets", lab.session, "--send", "--smtp", plain.endpoint, "--starttls"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("\(plain.endpoint) does not offer STARTTLS, so nothing was sent (labctl never falls back to sending in clear)"), r.stderr)
        XCTAssertEqual(try plain.received().count, 0)
        XCTAssertTrue(try lab.registry().deliveries(session: lab.session).isEmpty)

        // A TLS mode gives the port; a dry run connects to nothing.
        r = try lab.labctl(["sheets", lab.session, "--send", "--smtp", "smtp.example.org", "--smtps", "--dry-run", "--from", "lab@example.org"])
        XCTAssertTrue(r.stdout.contains("dry run, 2 mail(s) would be sent via smtp.example.org:465 (implicit TLS); nothing sent or recorded"), r.stdout)
    }
}

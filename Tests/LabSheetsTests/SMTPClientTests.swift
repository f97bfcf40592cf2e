import Foundation
import LabSheets
import LabTestSupport
import XCTest

/// The hand-written SMTP client against a real server (aiosmtpd on loopback).
final class SMTPClientTests: XCTestCase {
    var sink: SMTPSink?

    override func tearDown() { sink?.stop() }

    func message(to: String = "zoe@example.org", text: String = "Hello\n", html: String = "<p>Hello</p>") throws -> MailMessage {
        MailMessage(from: try MailAddress("lab@example.org"), to: try MailAddress(to, displayName: "Zoë"),
                    subject: "Test", date: Fixture.generatedAt, messageID: "t.1@example.org", text: text, html: html)
    }

    func testDeliversTheMessageByteForByteIncludingDotStuffedLines() throws {
        let sink = try SMTPSink()
        self.sink = sink
        let text = "Lines that SMTP would eat:\n.\n.hidden\n..two dots\nend\n"
        let mail = try message(text: text)
        let client = try SMTPClient(endpoint: SMTPEndpoint(parsing: sink.endpoint))
        let reply = try client.send(mail)
        XCTAssertEqual(reply.code, 250)
        let received = try sink.received()
        XCTAssertEqual(received.count, 1)
        XCTAssertEqual(received[0].mailFrom, "lab@example.org")
        XCTAssertEqual(received[0].recipients, ["zoe@example.org"])
        XCTAssertEqual(received[0].data.replacingOccurrences(of: "\r\n", with: "\n"),
                       mail.rendered.replacingOccurrences(of: "\r\n", with: "\n"),
                       "the server un-stuffs the dots and gets exactly the message")
    }

    func testRefusedRecipientIsAnErrorWithTheServersReply() throws {
        let sink = try SMTPSink(reject: ["gone@example.org"])
        self.sink = sink
        let client = try SMTPClient(endpoint: SMTPEndpoint(parsing: sink.endpoint))
        XCTAssertThrowsError(try client.send(try message(to: "gone@example.org"))) { error in
            XCTAssertEqual("\(error)", "the server answered RCPT TO:<gone@example.org> with 550 5.1.1 <gone@example.org>: mailbox unavailable")
        }
        XCTAssertEqual(try sink.received().count, 0)
    }

    func testAuthPlainAndLoginAgainstTheServer() throws {
        let plain = try SMTPSink(user: "lab", password: "s3cret pass")
        let client = try SMTPClient(endpoint: SMTPEndpoint(parsing: plain.endpoint), credentials: SMTPCredentials(user: "lab", password: "s3cret pass"))
        XCTAssertEqual(try client.send(try message()).code, 250)
        XCTAssertEqual(plain.authLog(), ["PLAIN lab ok"])
        plain.stop()

        let login = try SMTPSink(user: "lab", password: "s3cret pass", excludeAuth: ["PLAIN"])
        sink = login
        let wrong = try SMTPClient(endpoint: SMTPEndpoint(parsing: login.endpoint), credentials: SMTPCredentials(user: "lab", password: "wrong"))
        XCTAssertThrowsError(try wrong.send(try message())) { error in
            XCTAssertTrue("\(error)".contains("AUTH LOGIN (password) with 535"), "\(error)")
            XCTAssertFalse("\(error)".contains("wrong"))
        }
        let right = try SMTPClient(endpoint: SMTPEndpoint(parsing: login.endpoint), credentials: SMTPCredentials(user: "lab", password: "s3cret pass"))
        XCTAssertEqual(try right.send(try message()).code, 250)
        XCTAssertEqual(login.authLog(), ["LOGIN lab failed", "LOGIN lab ok"])
        XCTAssertEqual(try login.received().count, 1)
    }

    func testNoServerListeningIsAConnectError() throws {
        // A port that was free a moment ago: bind, read the number, close.
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(probe, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(probe, $0, &len) } }
        let port = UInt16(bigEndian: addr.sin_port)
        close(probe)
        let client = try SMTPClient(endpoint: SMTPEndpoint(host: "127.0.0.1", port: port), timeout: 5)
        XCTAssertThrowsError(try client.send(try message())) { error in
            XCTAssertEqual("\(error)", "cannot connect to the SMTP server 127.0.0.1:\(port): Connection refused; check --smtp and that the server runs.")
        }
    }

    func testPasswordIsNeverSentInClearOffThisMachine() throws {
        let credentials = SMTPCredentials(user: "lab", password: "hunter2")
        XCTAssertThrowsError(try SMTPClient(endpoint: SMTPEndpoint(parsing: "smtp.example.org:587"), credentials: credentials)) { error in
            XCTAssertTrue("\(error)".contains("will not send a password unencrypted to smtp.example.org:587; add --starttls (port 587) or --smtps (port 465)"), "\(error)")
        }
        XCTAssertNoThrow(try SMTPClient(endpoint: SMTPEndpoint(parsing: "[::1]:25"), credentials: credentials))
        // Over TLS the login may go anywhere; making the client connects to nothing yet.
        XCTAssertNoThrow(try SMTPClient(endpoint: SMTPEndpoint(parsing: "smtp.example.org:587"), tls: SMTPTLS(mode: .startTLS),
                                        credentials: credentials))
        XCTAssertNoThrow(try SMTPClient(endpoint: SMTPEndpoint(parsing: "smtp.example.org:465"), tls: SMTPTLS(mode: .implicit),
                                        credentials: credentials))
        XCTAssertEqual("\(credentials)", "lab (password hidden)")
    }

    func testEndpointParsing() throws {
        XCTAssertEqual(try SMTPEndpoint(parsing: "mail.example.org:587"), SMTPEndpoint(host: "mail.example.org", port: 587))
        XCTAssertEqual(try SMTPEndpoint(parsing: "[::1]:2525"), SMTPEndpoint(host: "::1", port: 2525))
        for bad in ["mail.example.org", ":25", "host:0", "host:99999", "host:x"] {
            XCTAssertThrowsError(try SMTPEndpoint(parsing: bad), bad)
        }
        // A TLS mode implies the port when none is given.
        XCTAssertEqual(try SMTPEndpoint(parsing: "smtp.gmail.com", defaultPort: 587), SMTPEndpoint(host: "smtp.gmail.com", port: 587))
        XCTAssertEqual(try SMTPEndpoint(parsing: "[::1]", defaultPort: 465), SMTPEndpoint(host: "::1", port: 465))
        XCTAssertEqual(try SMTPEndpoint(parsing: "mail.example.org:2525", defaultPort: 587).port, 2525)
        XCTAssertEqual(SMTPTLS.Mode.startTLS.defaultPort, 587)
        XCTAssertEqual(SMTPTLS.Mode.implicit.defaultPort, 465)
    }
}

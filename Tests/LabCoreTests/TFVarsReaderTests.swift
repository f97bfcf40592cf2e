import XCTest
@testable import LabCore

final class TFVarsReaderTests: XCTestCase {
    func testReadsLiteralSubsetWithComments() throws {
        let text = """
        # a comment
        session_name = "session-1" // trailing comment
        worker_count = 2
        ratio        = -1.5
        enabled      = true
        nothing      = null
        /* block
           comment */
        cidrs = [
          "10.0.0.0/8", # inline
          "192.0.2.0/24",
        ]
        tags = {
          Owner   = "trainer"
          "Cost Center" = "k8s"
          nested: { a = [1, 2] }
        }
        escaped = "quote \\" backslash \\\\ newline \\n"
        """
        let a = try TFVarsReader.read(text, file: "s.tfvars")
        let byName = Dictionary(uniqueKeysWithValues: a.map { ($0.name, $0.value) })
        XCTAssertEqual(byName["session_name"], .string("session-1"))
        XCTAssertEqual(byName["worker_count"], .number(2))
        XCTAssertEqual(byName["ratio"], .number(-1.5))
        XCTAssertEqual(byName["enabled"], .bool(true))
        XCTAssertEqual(byName["nothing"], .null)
        XCTAssertEqual(byName["cidrs"], .list([.string("10.0.0.0/8"), .string("192.0.2.0/24")]))
        XCTAssertEqual(byName["tags"], .map([("Owner", .string("trainer")), ("Cost Center", .string("k8s")),
                                            ("nested", .map([("a", .list([.number(1), .number(2)]))]))]))
        XCTAssertEqual(byName["escaped"], .string("quote \" backslash \\ newline \n"))
        XCTAssertEqual(a.first { $0.name == "cidrs" }?.line, 9)
    }

    func testReportsUnsupportedWithFileAndLine() {
        let cases: [(String, Int, String)] = [
            ("a = 1\nb = var.x\n", 2, "unsupported expression"),
            ("a = \"${var.x}\"\n", 1, "interpolation"),
            ("\n\nblock {\n}\n", 3, "unsupported block"),
            ("a = <<EOT\nx\nEOT\n", 1, "heredoc"),
            ("a = 1 + 2\n", 1, "unexpected '+'"),
            ("a = 1\na = 2\n", 2, "assigned twice"),
            ("a = \"open\n", 1, "unterminated string"),
        ]
        for (text, line, fragment) in cases {
            XCTAssertThrowsError(try TFVarsReader.read(text, file: "sessions/x.tfvars"), text) { error in
                let e = error as! TFVarsError
                XCTAssertEqual(e.line, line, text)
                XCTAssertTrue(e.description.hasPrefix("sessions/x.tfvars:\(line): "), e.description)
                XCTAssertTrue(e.description.contains(fragment), e.description)
            }
        }
    }

    func testSessionConfigFromTemplateRoundTrips() throws {
        let text = SessionConfigTemplate.render(session: "s-2", workers: 3, masterType: "t3.large", workerType: "t3.medium",
                                                region: "eu-central-1", sshFrom: ["203.0.113.0/24", "2001:db8::/32"], date: "2026-11-28")
        let c = try SessionConfig.parse(text, file: "sessions/s-2.tfvars", expectedSession: "s-2")
        XCTAssertEqual(c.workerCount, 3)
        XCTAssertEqual(c.masterInstanceType, "t3.large")
        XCTAssertEqual(c.workerInstanceType, "t3.medium")
        XCTAssertEqual(c.region, "eu-central-1")
        XCTAssertEqual(c.allowedSSHCIDRs, ["203.0.113.0/24", "2001:db8::/32"])
        XCTAssertEqual(c.kubernetesVersion, "1.34.2", "one full patch release per session")
        XCTAssertEqual(c.cpuCredits, "unlimited", "new sessions bootstrap at full speed")
        XCTAssertEqual(c.warnings, [])
        let open = SessionConfigTemplate.render(session: "s-3", workers: 1, masterType: "t3.medium", workerType: "t3.small",
                                                region: "eu-west-1", sshFrom: ["0.0.0.0/0"], date: "2026-11-28")
        XCTAssertEqual(try SessionConfig.parse(open, file: "f", expectedSession: "s-3").warnings.count, 1)
    }

    func testSessionConfigWithoutSSHRangeOpensNothing() throws {
        let c = try SessionConfig.parse("session_name = \"s1\"\n", file: "f", expectedSession: "s1")
        XCTAssertEqual(c.allowedSSHCIDRs, [], "no 0.0.0.0/0 default")
        XCTAssertTrue(c.warnings.first?.contains("`labctl apply` refuses the session") ?? false, "\(c.warnings)")
        XCTAssertThrowsError(try SessionConfig.parse("cpu_credits = \"infinite\"\n", file: "f", expectedSession: "s1"))
    }

    func testSSHSources() {
        XCTAssertEqual(SSHSources.everyone(in: ["203.0.113.0/24", "0.0.0.0/0", "::/0"]), ["0.0.0.0/0", "::/0"])
        XCTAssertFalse(SSHSources.opensToEveryone(["203.0.113.0/24"]))
        XCTAssertTrue(SSHSources.isWellFormed("203.0.113.10/32"))
        XCTAssertTrue(SSHSources.isWellFormed("2001:db8::/32"))
        XCTAssertFalse(SSHSources.isWellFormed("203.0.113.1/24"), "host bits set")
        XCTAssertFalse(SSHSources.isWellFormed("room"))
        XCTAssertEqual(SSHSources.suggestion(environment: ["SSH_CONNECTION": "198.51.100.7 52000 10.0.0.5 22"]), "198.51.100.7/32")
        XCTAssertNil(SSHSources.suggestion(environment: ["SSH_CONNECTION": "10.1.2.3 52000 10.0.0.5 22"]), "a private address is no suggestion")
        XCTAssertNil(SSHSources.suggestion(environment: [:]))
    }

    func testSessionConfigRefusals() {
        XCTAssertThrowsError(try SessionConfig.parse("session_name = \"other\"\n", file: "sessions/s1.tfvars", expectedSession: "s1")) {
            XCTAssertEqual($0 as? SessionConfigError, .nameMismatch(file: "sessions/s1.tfvars", line: 1, inFile: "other", expected: "s1"))
        }
        XCTAssertThrowsError(try SessionConfig.parse("master_instance_type = \"big\"\n", file: "f", expectedSession: "s1")) {
            guard case SessionConfigError.badInstanceType(_, 1, "master_instance_type", "big") = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try SessionConfig.parse("worker_count = \"2\"\n", file: "f", expectedSession: "s1"))
        XCTAssertThrowsError(try SessionConfig.parse("worker_count = 2.5\n", file: "f", expectedSession: "s1"))
    }

    func testSessionNames() {
        for ok in ["session-1", "k8s", "a"] { XCTAssertNoThrow(try SessionName.validate(ok)) }
        for bad in ["", "Session", "../x", "-a", "a-", "a_b", String(repeating: "a", count: 41)] {
            XCTAssertThrowsError(try SessionName.validate(bad), bad)
        }
    }
}

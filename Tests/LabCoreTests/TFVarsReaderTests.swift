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
                                                region: "eu-central-1", date: "2026-11-28")
        let c = try SessionConfig.parse(text, file: "sessions/s-2.tfvars", expectedSession: "s-2")
        XCTAssertEqual(c.workerCount, 3)
        XCTAssertEqual(c.masterInstanceType, "t3.large")
        XCTAssertEqual(c.workerInstanceType, "t3.medium")
        XCTAssertEqual(c.region, "eu-central-1")
        XCTAssertEqual(c.allowedSSHCIDRs, ["0.0.0.0/0"])
        XCTAssertEqual(c.warnings.count, 1)
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

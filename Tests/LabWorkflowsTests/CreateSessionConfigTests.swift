import Foundation
import LabCore
import LabTestSupport
import LabWorkflows
import XCTest

/// `labctl create-config`'s step in-process: the file it writes (read back as apply
/// reads it), where SSH is opened from, and when it refuses.
final class CreateSessionConfigTests: XCTestCase {
    var dir: TemporaryDirectory!
    var files: LabFiles { LabFiles(root: dir.url) }
    override func setUpWithError() throws { dir = try TemporaryDirectory("wf-create-config") }
    override func tearDown() { dir.remove() }

    func testTheFileHoldsWhatWasAskedAndReadsBack() throws {
        var request = CreateSessionConfig.Request(session: "s1")
        request.workers = 2
        request.masterType = "t3.large"
        request.sshFrom = ["198.51.100.0/24", "192.0.2.10/32"]
        request.end = SessionEnd.parse("2099-06-01T17:00:00+02:00")
        request.spares = 1
        request.environment = [:]
        let outcome = try CreateSessionConfig(files: files).run(request)
        XCTAssertEqual(outcome.file.path, files.sessionFile("s1").path)
        XCTAssertNil(outcome.suggested)
        XCTAssertFalse(outcome.opensToEveryone)
        let config = try files.sessionConfig("s1")
        XCTAssertEqual(config.workerCount, 2)
        XCTAssertEqual(config.masterInstanceType, "t3.large")
        XCTAssertEqual(config.allowedSSHCIDRs, ["198.51.100.0/24", "192.0.2.10/32"])
        XCTAssertEqual(config.spares, 1)
        XCTAssertEqual(config.lifetime.end?.date, request.end?.date)
    }

    func testWithoutRangesTheTrainersPublicAddressElseARefusal() throws {
        var request = CreateSessionConfig.Request(session: "s1")
        request.environment = ["SSH_CONNECTION": "198.51.100.23 51234 10.0.0.5 22"]
        let outcome = try CreateSessionConfig(files: files).run(request)
        XCTAssertEqual(outcome.suggested, "198.51.100.23/32")
        XCTAssertEqual(try files.sessionConfig("s1").allowedSSHCIDRs, ["198.51.100.23/32"])

        var privateOnly = CreateSessionConfig.Request(session: "s2")
        privateOnly.environment = ["SSH_CONNECTION": "10.1.2.3 51234 10.0.0.5 22"]
        XCTAssertThrowsError(try CreateSessionConfig(files: files).run(privateOnly)) { error in
            XCTAssertEqual((error as? WorkflowError)?.kind, .usage)
            XCTAssertTrue("\(error)".contains("--ssh-from CIDR"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: files.sessionFile("s2").path), "nothing written on a refusal")
    }

    func testAnExistingFileNeedsForceAndTheWholeInternetIsReported() throws {
        var request = CreateSessionConfig.Request(session: "s1")
        request.sshFrom = ["198.51.100.0/24"]
        _ = try CreateSessionConfig(files: files).run(request)
        request.sshFrom = ["0.0.0.0/0"]
        XCTAssertThrowsError(try CreateSessionConfig(files: files).run(request)) { error in
            XCTAssertEqual((error as? WorkflowError)?.kind, .usage)
            XCTAssertTrue("\(error)".contains("sessions/s1.tfvars already exists") && "\(error)".contains("--force"), "\(error)")
        }
        XCTAssertEqual(try files.sessionConfig("s1").allowedSSHCIDRs, ["198.51.100.0/24"], "left as it was")
        request.force = true
        let outcome = try CreateSessionConfig(files: files).run(request)
        XCTAssertTrue(outcome.opensToEveryone)
        XCTAssertEqual(try files.sessionConfig("s1").allowedSSHCIDRs, ["0.0.0.0/0"])
    }
}

import Foundation
import LabTestSupport
import LabWorkflows
import XCTest

/// `--inventory FILE` as verify, assign and `serve --spare-inventory` read it.
final class VerifyInventoryTests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory("wf-inventory") }
    override func tearDown() { dir.remove() }

    private func refusal(_ text: String) throws -> WorkflowError {
        let file = try dir.write("inventory.json", text)
        do {
            _ = try VerifyInventory.load(file.path)
        } catch let e as WorkflowError {
            return e
        }
        XCTFail("\(text) was accepted")
        return WorkflowError.notOK("")
    }

    func testAddressesWithTheirPortsAndTwentyTwoWhereNoneIsGiven() throws {
        let file = try dir.write("masters.json", #"{"ann.le": {"host": "127.0.0.1", "port": 22022}, "bob.ki": {"host": "127.0.0.2"}, "spare_1/worker-1": {"host": "127.0.0.3", "port": 2200}}"#)
        let addresses = try VerifyInventory.load(file.path)
        XCTAssertEqual(addresses, ["ann.le": .init(host: "127.0.0.1", port: 22022), "bob.ki": .init(host: "127.0.0.2", port: 22),
                                   "spare_1/worker-1": .init(host: "127.0.0.3", port: 2200)])
    }

    func testARelativePathIsReadFromTheCurrentDirectory() throws {
        _ = try dir.write("relative.json", #"{"ann.le": {"host": "127.0.0.1", "port": 2222}}"#)
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(dir.path))
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        XCTAssertEqual(try VerifyInventory.load("relative.json")["ann.le"], VerifySession.Address(host: "127.0.0.1", port: 2222))
    }

    func testAMissingFileIsAUsageErrorNamingItAndTheAlternative() throws {
        let path = dir.file("nope.json").path
        XCTAssertThrowsError(try VerifyInventory.load(path)) { error in
            let e = error as? WorkflowError
            XCTAssertEqual(e?.kind, .usage)
            XCTAssertTrue(e?.message.hasPrefix(path) ?? false, "\(error)")
            XCTAssertTrue(e?.message.contains("leave --inventory out") ?? false, "\(error)")
        }
    }

    func testBadEntriesAreRefusedWithWhatIsWrong() throws {
        let emptyHost = try refusal(#"{"ann.le": {"host": "", "port": 22}}"#)
        XCTAssertEqual(emptyHost.kind, .usage)
        XCTAssertTrue(emptyHost.message.contains("ann.le has an empty host"), emptyHost.message)
        for port in [0, 65536] {
            let bad = try refusal(#"{"ann.le": {"host": "127.0.0.1", "port": \#(port)}}"#)
            XCTAssertEqual(bad.kind, .usage)
            XCTAssertTrue(bad.message.contains("port \(port); use 1–65535"), bad.message)
        }
        let notJSON = try refusal("ann.le 127.0.0.1:22")
        XCTAssertEqual(notJSON.kind, .usage)
        XCTAssertTrue(notJSON.message.contains("not a valid inventory"), notJSON.message)
        let noHost = try refusal(#"{"ann.le": {"port": 22}}"#)
        XCTAssertTrue(noHost.message.contains(#"missing "host" at ann.le"#), noHost.message)
        let wrongType = try refusal(#"{"ann.le": {"host": "127.0.0.1", "port": "22"}}"#)
        XCTAssertTrue(wrongType.message.contains("wrong type at ann.le.port"), wrongType.message)
    }
}

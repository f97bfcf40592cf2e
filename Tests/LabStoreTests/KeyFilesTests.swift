import Foundation
import LabTestSupport
import XCTest
@testable import LabCore
@testable import LabStore

final class KeyFilesTests: RegistryTestCase {

    func testImportRegistersValidFilesAndReportsInvalidOnes() throws {
        let keys = dir.url.appendingPathComponent("participants/s1")
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        _ = try KeyGen.generate(in: keys, name: "jane.doe", comment: "jane")
        _ = try KeyGen.generate(in: keys, name: "bob.rsa", type: "rsa")
        try FileManager.default.removeItem(at: keys.appendingPathComponent("jane.doe"))
        try FileManager.default.removeItem(at: keys.appendingPathComponent("bob.rsa"))
        let results = try KeyFiles(directory: keys).importAll(into: registry, session: "s1")
        XCTAssertEqual(results.map(\.file), ["bob.rsa.pub", "jane.doe.pub"])
        guard case .failure(.key(.unsupportedType("ssh-rsa"))) = results[0].outcome else { return XCTFail("\(results[0].outcome)") }
        guard case .success(.added(let p)) = results[1].outcome else { return XCTFail("\(results[1].outcome)") }
        XCTAssertEqual(p.discreteID, "jane.do")
        let again = try KeyFiles(directory: keys).importAll(into: registry, session: "s1")
        guard case .success(.unchanged) = again[1].outcome else { return XCTFail("re-import changed something") }
    }

    func testExportWritesAtomicallyAndRemovesOnlyItsOwnFiles() throws {
        let keys = dir.url.appendingPathComponent("participants/s1")
        let a = try PublicKeyParser.parse(KeyGen.generate(in: dir.url, name: "a", comment: "a@x").publicLine)
        let b = try PublicKeyParser.parse(KeyGen.generate(in: dir.url, name: "b").publicLine)
        _ = try registry.register(session: "s1", name: ParticipantName(canonical: "ann.lee"), key: a, via: .cli)
        _ = try registry.register(session: "s1", name: ParticipantName(canonical: "ben.kim"), key: b, via: .cli)
        let files = KeyFiles(directory: keys)
        var summary = try files.exportAll(registry.participants(in: "s1"))
        XCTAssertEqual(summary.written, ["ann.lee.pub", "ben.kim.pub"])
        XCTAssertEqual(try String(contentsOf: keys.appendingPathComponent("ann.lee.pub"), encoding: .utf8), a.openSSHLine + "\n")
        try "ssh-ed25519 trainer's own file\n".write(to: keys.appendingPathComponent("trainer.own.pub"), atomically: true, encoding: .utf8)
        try registry.removeParticipant(session: "s1", name: "ben.kim", via: .cli)
        summary = try files.exportAll(registry.participants(in: "s1"))
        XCTAssertEqual(summary.removed, ["ben.kim.pub"])
        XCTAssertEqual(summary.unchanged, ["ann.lee.pub"])
        let left = try FileManager.default.contentsOfDirectory(atPath: keys.path).filter { !$0.hasPrefix(".") }.sorted()
        XCTAssertEqual(left, ["ann.lee.pub", "trainer.own.pub"])
    }
}

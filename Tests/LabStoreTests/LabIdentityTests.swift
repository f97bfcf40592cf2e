import Foundation
import LabCore
import LabStore
import LabTestSupport
import XCTest

/// The lab's id is made once and never again: a second ask, a second process (a reopened
/// registry) and a different candidate all get the first one.
final class LabIdentityTests: XCTestCase {
    func testTheFirstIDStaysForever() throws {
        let dir = try TemporaryDirectory("labid")
        defer { dir.remove() }
        let path = dir.file("lab.sqlite").path
        let registry = try Registry(path: path)
        XCTAssertNil(try registry.labID())
        let first = try registry.ensureLabID()
        XCTAssertEqual(try registry.labID(), first)
        XCTAssertEqual(try registry.ensureLabID { LabID("lab-aaaaaaaa")! }, first, "a present id is never replaced")
        let reopened = try Registry(path: path)
        XCTAssertEqual(try reopened.ensureLabID(), first)
    }

    func testAnAdoptedIDIsKept() throws {
        let dir = try TemporaryDirectory("labid")
        defer { dir.remove() }
        let registry = try Registry(path: dir.file("lab.sqlite").path)
        let shared = try XCTUnwrap(LabID("lab-bbbbbbbb"))
        XCTAssertEqual(try registry.ensureLabID { shared }, shared)
        XCTAssertEqual(try registry.ensureLabID(), shared)
    }
}

import Foundation
import LabStore
import LabTestSupport
import LabWorkflows
import XCTest

/// `labctl list`'s reading step: the sessions' files and the registry's counts.
final class SessionListingTests: XCTestCase {
    var lab: WorkflowLab!
    override func setUpWithError() throws { lab = try WorkflowLab("wf-list", tfvars: "master_instance_type = \"t3.large\"\n") }
    override func tearDown() { lab.remove() }

    func testEverySessionFileIsListedABrokenOneWithItsProblem() throws {
        try lab.add("ann.lee")
        try lab.add("bob.kim")
        try "session_name = \"someone-else\"\n".write(to: lab.dir.file("sessions/s2.tfvars"), atomically: true, encoding: .utf8)
        try "not a tfvars file".write(to: lab.dir.file("sessions/notes.txt"), atomically: true, encoding: .utf8)

        let listed = try SessionListing.read(lab.files, registry: lab.registry)
        XCTAssertEqual(listed.map(\.session), ["s1", "s2"])
        XCTAssertEqual(listed[0].config?.masterInstanceType, "t3.large")
        XCTAssertEqual(listed[0].config?.workerCount, 1)
        XCTAssertNil(listed[0].problem)
        XCTAssertEqual(listed[0].participants, 2)
        XCTAssertNil(listed[1].config)
        XCTAssertTrue(listed[1].problem?.contains("sessions/s2.tfvars") ?? false, listed[1].problem ?? "no problem")
        XCTAssertEqual(listed[1].participants, 0)

        // No database yet: the files alone, nobody registered.
        XCTAssertEqual(try SessionListing.read(lab.files, registry: nil).map(\.participants), [0, 0])
    }
}

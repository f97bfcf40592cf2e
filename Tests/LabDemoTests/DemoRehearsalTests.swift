import Foundation
import LabCore
import LabTestSupport
@testable import LabDemo
import LabWorkflows
import XCTest

/// The demo's pieces that need no emulator: its plan, its lab directory, its
/// prerequisites and its reading of `labctl verify --json`. (DemoTests runs the whole demo.)
final class DemoRehearsalTests: XCTestCase {
    func testPlanShrinksEachSessionByOneAlternatesWorkersAndSendsEveryOtherPersonThroughTheWeb() {
        let plan = DemoPlan.make(sessions: 4, participants: 3, workers: 2)
        XCTAssertEqual(plan.sessions.map(\.name), ["demo-1", "demo-2", "demo-3", "demo-4"])
        XCTAssertEqual(plan.sessions.map(\.people.count), [3, 2, 1, 1], "one fewer per session, never below one")
        XCTAssertEqual(plan.sessions.map(\.workers), [2, 1, 2, 1])
        XCTAssertEqual(plan.sessions[0].people.map(\.viaWeb), [true, false, true])
        XCTAssertEqual(DemoPlan.make(sessions: 2, participants: 1, workers: 0).sessions.map(\.workers), [0, 0], "no negative worker counts")
    }

    func testPlanPeopleHaveDistinctValidStemsAndMatchingAddressesEvenPastTheCast() throws {
        let count = DemoPlan.cast.count + 2
        let people = DemoPlan.make(sessions: 1, participants: count, workers: 1).sessions[0].people
        XCTAssertEqual(people.count, count)
        XCTAssertEqual(Set(people.map(\.fileStem)).count, count, "a key file per person: stems must not collide")
        for p in people {
            XCTAssertEqual(try ParticipantName(first: p.firstName, last: p.lastName).value, p.fileStem)
            XCTAssertEqual(p.email, "\(p.fileStem)@example.org")
            XCTAssertTrue(p.fileStem.allSatisfy(\.isASCII), p.fileStem)
        }
        // The second round repeats the cast with a suffix rather than a duplicate name.
        XCTAssertEqual(people[DemoPlan.cast.count].firstName, people[0].firstName)
        XCTAssertNotEqual(people[DemoPlan.cast.count].lastName, people[0].lastName)
    }

    func testLabDirectoryCopiesTheCodeWithoutStateOrOverridesAndRefusesAFullDirectory() throws {
        let tmp = try TemporaryDirectory("demo-lab")
        defer { tmp.remove() }
        // A checkout with the leftovers a developer's own runs leave behind.
        let source = tmp.file("checkout")
        for file in ["terraform/session/main.tf", "terraform/session/terraform.tfstate", "terraform/session/dev_override.tf",
                     "terraform/session/.terraform/providers/x", "terraform/network/main.tf", "terraform/network/.terraform.lock.hcl",
                     "terraform/network/terraform.tfstate.d/s1/terraform.tfstate", "mail-templates/sheet.txt.mustache"] {
            let url = source.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try "# \(file)\n".write(to: url, atomically: true, encoding: .utf8)
        }
        let lab = try DemoLab.create(at: tmp.file("lab").path, from: source)
        let fm = FileManager.default
        for kept in ["terraform/session/main.tf", "terraform/network/main.tf", "mail-templates/sheet.txt.mustache"] {
            XCTAssertTrue(fm.fileExists(atPath: lab.appendingPathComponent(kept).path), kept)
        }
        for dropped in ["terraform/session/terraform.tfstate", "terraform/session/dev_override.tf", "terraform/session/.terraform",
                        "terraform/network/.terraform.lock.hcl", "terraform/network/terraform.tfstate.d"] {
            XCTAssertFalse(fm.fileExists(atPath: lab.appendingPathComponent(dropped).path), dropped)
        }
        for folder in ["sessions", "participants"] { XCTAssertTrue(fm.fileExists(atPath: lab.appendingPathComponent(folder).path)) }
        let mode = try fm.attributesOfItem(atPath: lab.appendingPathComponent(".labctl").path)[.posixPermissions] as! NSNumber
        XCTAssertEqual(mode.intValue & 0o777, 0o700)
        let amis = try JSONSerialization.jsonObject(with: Data(contentsOf: DemoLab.amisFile(lab))) as? [[String: Any]]
        XCTAssertEqual(amis?.first?["ami_id"] as? String, EmulatedImages.amiID)

        XCTAssertThrowsError(try DemoLab.create(at: lab.path, from: source)) { error in
            let refusal = error as? WorkflowError
            XCTAssertEqual(refusal?.kind, .usage)
            XCTAssertTrue(refusal?.message.contains("--dir \(lab.path) is not empty") ?? false, "\(error)")
        }
    }

    func testPrerequisitesNameTheMissingFolderAndTheWayOut() throws {
        let tmp = try TemporaryDirectory("demo-prereq")
        defer { tmp.remove() }
        try FileManager.default.createDirectory(at: tmp.file("terraform/session"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try DemoRun.checkPrerequisites(source: tmp.url)) { error in
            let refusal = error as? WorkflowError
            XCTAssertEqual(refusal?.kind, .usage)
            XCTAssertTrue(refusal?.message.contains("has no terraform/network/") ?? false, "\(error)")
            XCTAssertTrue(refusal?.message.contains("--root") ?? false, "\(error)")
        }
    }

    func testVerifyJSONBecomesOneRowPerMasterAndGarbageBecomesNone() {
        let json = """
        [{"discrete_id": "ada.lo", "host": "127.0.0.1", "port": 40022, "ready": true,
          "checks": {"auth": {"status": "pass"}, "kubeadm": {"status": "pass", "reason": "x"}, "cloud-init": {"status": "pending"}},
          "nodes": {"ready": 2, "expected": 3}},
         {"discrete_id": "alan.tu", "host": "127.0.0.1", "port": 40023, "ready": false, "checks": {}}]
        """
        let rows = DemoVerification.parse(json)
        XCTAssertEqual(rows.map(\.discreteID), ["ada.lo", "alan.tu"])
        XCTAssertEqual(rows.map(\.host), ["127.0.0.1:40022", "127.0.0.1:40023"])
        XCTAssertEqual(rows.map(\.ready), [true, false])
        XCTAssertEqual(rows[0].checks, ["auth": "pass", "kubeadm": "pass", "cloud-init": "pending"])
        XCTAssertEqual(rows[0].nodes, "2/3")
        XCTAssertEqual(rows[1].nodes, "-")
        XCTAssertTrue(DemoVerification.parse("verify failed: no registry").isEmpty)
    }
}

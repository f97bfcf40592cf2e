import Foundation
import LabCore
import LabSheets
import LabStore
import LabTestSupport
import LabWorkflows
import XCTest

/// `labctl sheets`' decision and writing step in-process: a real SQLite registry, the
/// repository's templates, files on disk. Who gets a sheet, who is skipped and why.
final class WriteSheetsTests: XCTestCase {
    var lab: WorkflowLab!
    override func setUpWithError() throws {
        lab = try WorkflowLab("wf-write-sheets", tfvars: "trainer_name = \"Renée Trainer\"\ntrainer_email = \"renee@example.org\"\n")
    }
    override func tearDown() { lab.remove() }

    /// Records the masters' addresses, as `labctl output` does after an apply.
    private func deploy(_ ps: [(Participant, ip: String)]) throws {
        try lab.registry.recordClusters(session: lab.session, ps.map { p, ip in
            ClusterRecord(session: lab.session, address: ClusterAddress(discreteID: p.discreteID, masterPublicIP: ip, masterPrivateIP: "10.0.1.5",
                                                                        workerPublicIPs: [], workerPrivateIPs: [], podCIDR: p.podCIDR,
                                                                        masterInstanceID: "i-\(p.discreteID)", workerInstanceIDs: []))
        })
    }

    private func verified(_ p: Participant, ready: Bool) throws {
        var checks = CheckSet()
        checks.fillUnset(.pass(nil))
        if !ready { checks[.cloudInit] = .pending("cloud-init running") }
        try lab.registry.saveVerifications([VerificationRecord(session: lab.session, discreteID: p.discreteID, host: "127.0.0.1", port: 22,
                                                               ready: ready, checks: checks, nodesReady: ready ? 2 : 0, nodesExpected: 2)])
    }

    private func exists(_ name: String, in dir: URL) -> Bool { FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path) }

    func testOnlyReadyMastersGetASheetAndTheOthersAreSkippedWithTheirReason() throws {
        let (ann, _) = try lab.add("ann.lee", email: "ann@example.org")
        let (bob, _) = try lab.add("bob.kim")
        try lab.add("cara.diaz")
        try deploy([(ann, "198.51.100.7"), (bob, "198.51.100.8")])
        try verified(ann, ready: true)
        try verified(bob, ready: false)

        let outcome = try WriteSheets(lab.context).run(WriteSheets.Request(session: lab.session))
        XCTAssertEqual(outcome.sheets.map(\.name), ["ann.lee"])
        let skipped = Dictionary(uniqueKeysWithValues: outcome.skipped.map { ($0.name, $0.reason) })
        XCTAssertEqual(Set(skipped.keys), ["bob.kim", "cara.diaz"])
        XCTAssertTrue(skipped["bob.kim"]!.contains("not verified ready") && skipped["bob.kim"]!.contains("cloud-init"), skipped["bob.kim"]!)
        XCTAssertTrue(skipped["bob.kim"]!.contains("labctl verify s1"), "names the next step: \(skipped["bob.kim"]!)")
        XCTAssertTrue(skipped["cara.diaz"]!.contains("no master address"), skipped["cara.diaz"]!)

        // The default folder, private; Ann's files only; the session's CSV lists everyone.
        let dir = lab.dir.file("participant-access/s1")
        XCTAssertEqual(outcome.directory.standardizedFileURL.path, dir.standardizedFileURL.path)
        let mode = (try FileManager.default.attributesOfItem(atPath: dir.path)[.posixPermissions] as? NSNumber)?.intValue
        XCTAssertEqual(mode.map { $0 & 0o777 }, 0o700)
        for ext in ["txt", "md", "html", "eml"] { XCTAssertTrue(exists("ann.lee.\(ext)", in: dir), "ann.lee.\(ext)") }
        XCTAssertFalse(exists("bob.kim.txt", in: dir))
        XCTAssertFalse(exists("cara.diaz.txt", in: dir))
        let csv = try String(contentsOf: dir.appendingPathComponent("participants-s1.csv"), encoding: .utf8)
        XCTAssertTrue(csv.contains("bob.kim") && csv.contains("cara.diaz"), csv)
        XCTAssertTrue(try String(contentsOf: dir.appendingPathComponent("ann.lee.txt"), encoding: .utf8).contains("198.51.100.7"))
        XCTAssertEqual(outcome.sender?.address, "renee@example.org", "the trainer's address from the tfvars")

        // --include-unready: Bob's master has an address, so he gets one; Cara still has none.
        var request = WriteSheets.Request(session: lab.session)
        request.includeUnready = true
        let unready = try WriteSheets(lab.context).run(request)
        XCTAssertEqual(unready.sheets.map(\.name), ["ann.lee", "bob.kim"])
        XCTAssertEqual(unready.skipped.map { $0.name }, ["cara.diaz"])
        XCTAssertTrue(exists("bob.kim.txt", in: dir))
    }

    func testOneParticipantLeavesTheSessionFilesAsTheyWere() throws {
        let (ann, _) = try lab.add("ann.lee")
        let (bob, _) = try lab.add("bob.kim")
        try deploy([(ann, "198.51.100.7"), (bob, "198.51.100.8")])
        try verified(ann, ready: true)
        try verified(bob, ready: true)
        let out = lab.dir.file("elsewhere")
        var request = WriteSheets.Request(session: lab.session)
        request.directory = out
        request.participants = ["bob.kim"]
        request.outputs = [.txt, .csv]
        let outcome = try WriteSheets(lab.context).run(request)
        XCTAssertEqual(outcome.sheets.map(\.name), ["bob.kim"])
        XCTAssertEqual(outcome.written.perParticipant.map { $0.name }, ["bob.kim"])
        XCTAssertEqual(outcome.written.sessionFiles, [], "no CSV for a run for some participants")
        XCTAssertTrue(exists("bob.kim.txt", in: out))
        XCTAssertFalse(exists("ann.lee.txt", in: out))
        XCTAssertFalse(exists("bob.kim.html", in: out), "only the formats asked for")
        XCTAssertFalse(exists("participants-s1.csv", in: out))
    }

    func testTheSenderIsFromElseTheTrainerAndSendRefusesWithoutOne() throws {
        let (ann, _) = try lab.add("ann.lee")
        try deploy([(ann, "198.51.100.7")])
        try verified(ann, ready: true)
        let session = try SheetInputs.gather(registry: lab.registry, session: lab.session, sessionFile: lab.files.sessionFile(lab.session),
                                             fileShown: "sessions/s1.tfvars").session
        XCTAssertEqual(try WriteSheets.sender(from: "ops@example.org", session: session, required: true)?.address, "ops@example.org")
        let trainer = try XCTUnwrap(try WriteSheets.sender(from: nil, session: session, required: true))
        XCTAssertEqual(trainer.address, "renee@example.org")
        XCTAssertEqual(trainer.displayName, "Renée Trainer")

        var nobody = session
        nobody.trainerEmail = nil
        XCTAssertNil(try WriteSheets.sender(from: nil, session: nobody, required: false))
        XCTAssertThrowsError(try WriteSheets.sender(from: nil, session: nobody, required: true)) { error in
            XCTAssertEqual((error as? WorkflowError)?.kind, .usage)
            XCTAssertTrue("\(error)".contains("--from") && "\(error)".contains("trainer_email"), "\(error)")
        }
        XCTAssertThrowsError(try WriteSheets.sender(from: "not an address", session: session, required: false)) { error in
            XCTAssertEqual((error as? WorkflowError)?.kind, .usage)
        }
    }
}

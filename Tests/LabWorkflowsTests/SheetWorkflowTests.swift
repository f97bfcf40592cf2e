import Foundation
import LabCore
import LabSheets
import LabStore
import LabTestSupport
import LabWorkflows
import XCTest

/// Gather sheets, deliver mail (to a real SMTP sink on loopback), the participant's own sheet.
final class SheetWorkflowTests: XCTestCase {
    var lab: WorkflowLab!
    override func setUpWithError() throws {
        lab = try WorkflowLab("wf-sheets", tfvars: "trainer_name = \"Renée Trainer\"\ntrainer_email = \"renee@example.org\"\n")
    }
    override func tearDown() { lab.remove() }

    private func deploy(_ p: Participant, ip: String) throws {
        var clusters = try lab.registry.clusters(session: lab.session)
        clusters.append(ClusterRecord(session: lab.session, address: ClusterAddress(discreteID: p.discreteID, masterPublicIP: ip, masterPrivateIP: "10.0.1.5",
                                      workerPublicIPs: [], workerPrivateIPs: [], podCIDR: p.podCIDR, masterInstanceID: "i-1", workerInstanceIDs: [])))
        try lab.registry.recordClusters(session: lab.session, clusters)
    }

    private func gather() throws -> SheetInputs {
        try SheetInputs.gather(registry: lab.registry, session: lab.session, sessionFile: lab.files.sessionFile(lab.session), fileShown: "sessions/s1.tfvars")
    }

    func testOwnSheetOnlyOnceDeployedAndOnlyTheirs() throws {
        let (ann, _) = try lab.add("ann.lee")
        let (bob, _) = try lab.add("bob.kim")
        let own = OwnSheet(lab.context)
        XCTAssertNil(try own.html(for: ann))
        try deploy(ann, ip: "198.51.100.7")
        try deploy(bob, ip: "203.0.113.9")
        let html = try XCTUnwrap(try own.html(for: ann))
        XCTAssertTrue(html.contains("198.51.100.7"), html)
        XCTAssertFalse(html.contains("203.0.113.9"), "Ann's sheet shows Bob's master")
        XCTAssertFalse(html.contains("<body"), "a fragment for the page, not a document")
    }

    func testDeliveryMailsOnceAndRecordsEachResult() throws {
        let (ann, _) = try lab.add("ann.lee", email: "ann@example.org")
        let (bob, _) = try lab.add("bob.kim")
        try deploy(ann, ip: "198.51.100.7")
        try deploy(bob, ip: "198.51.100.8")
        let sink = try SMTPSink()
        defer { sink.stop() }
        let inputs = try gather()
        let renderer = SheetRenderer(templates: try TemplateSet(directory: lab.files.mailTemplates, displayPath: "mail-templates"))
        let delivery = SheetDelivery(registry: lab.registry, inputs: inputs, renderer: renderer,
                                     sender: try MailAddress("renee@example.org", displayName: "Renée Trainer"))
        var events: [String] = []
        let plan = try delivery.plan(inputs.participants, resend: false) { events.append("\($0)") }
        XCTAssertEqual(plan.mails.map(\.participant.name), ["ann.lee"])
        XCTAssertTrue(events.contains { $0.contains("noAddress") && $0.contains("bob.kim") }, "\(events)")
        let client = try SMTPClient(endpoint: try SMTPEndpoint(parsing: sink.endpoint))
        let result = try delivery.send(plan, client: client, perMinute: 600) { _ in }
        XCTAssertEqual(result.sent, 1)
        XCTAssertEqual(result.failed, 0)
        XCTAssertEqual(try sink.received().map(\.recipients), [["ann@example.org"]])
        XCTAssertEqual(try lab.registry.deliveries(session: lab.session)["ann.lee"]?.status, .sent)
        // A second run sends nothing new.
        XCTAssertEqual(try delivery.plan(inputs.participants, resend: false) { _ in }.mails.count, 0)
        XCTAssertEqual(try delivery.plan(inputs.participants, resend: true) { _ in }.mails.count, 1)
    }

    func testGatherRefusesAnUnknownParticipantWithTheNextStep() throws {
        try lab.add("ann.lee")
        XCTAssertThrowsError(try SheetInputs.gather(registry: lab.registry, session: lab.session, sessionFile: lab.files.sessionFile(lab.session),
                                                    fileShown: "sessions/s1.tfvars", only: ["zed.x"])) { error in
            XCTAssertEqual((error as? WorkflowError)?.kind, .usage)
            XCTAssertTrue("\(error)".contains("labctl keys list"), "\(error)")
        }
    }

    func testCostFollowsTheSettingsAndTheRegistry() throws {
        try lab.add("ann.lee")
        try lab.add("bob.kim")
        let two = try SessionCost.estimate(lab.session, files: lab.files, registry: lab.registry)
        XCTAssertEqual(two.participants, 2)
        XCTAssertEqual(two.nodesPerCluster, 2)
        let four = try SessionCost.estimate(lab.session, files: lab.files, registry: lab.registry, participants: 4)
        XCTAssertEqual(four.perSessionHour.total, 2 * two.perSessionHour.total, accuracy: 1e-9)
        XCTAssertThrowsError(try SessionCost.estimate("nope", files: lab.files, registry: lab.registry)) { error in
            XCTAssertTrue("\(error)".contains("create-config"), "\(error)")
        }
    }
}

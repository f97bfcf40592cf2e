import LabCore
import XCTest

/// AWS names of a cluster's resources (terraform/session/locals.tf, `aws_name`, `key_pair_name`).
final class AWSNamesTests: XCTestCase {
    func testSessionAndParticipantThatJoinedWithAHyphenCollidedStayApart() {
        // Both were demo-1-ann.le before issue 27.5.
        let a = AWSNames.cluster(session: "demo", participant: "1-ann.le")
        let b = AWSNames.cluster(session: "demo-1", participant: "ann.le")
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(a, "demo.1-ann.le")
        XCTAssertEqual(b, "demo-1.ann.le")
    }

    func testEverySplitOfOneStringGivesItsOwnName() throws {
        // Whatever a session name (no ".") and a participant id hold, the name tells them apart.
        let joined = "ab-c-d-e1-f"
        var names = Set<String>()
        for cut in joined.indices.dropFirst() where joined[joined.index(before: cut)] != "-" && joined[cut] == "-" {
            let session = String(joined[..<cut]), participant = String(joined[joined.index(after: cut)...])
            XCTAssertNoThrow(try SessionName.validate(session))
            names.insert(AWSNames.cluster(session: session, participant: participant))
        }
        XCTAssertEqual(names.count, 4)
    }

    func testKeyPairsAndAccountWideNamesCarryTheLabID() throws {
        let one = try XCTUnwrap(LabID("lab-abcdefgh")), two = try XCTUnwrap(LabID("lab-23456777"))
        XCTAssertNotEqual(AWSNames.keyPair(lab: one, session: "demo", participant: "ann.le"),
                          AWSNames.keyPair(lab: two, session: "demo", participant: "ann.le"))
        XCTAssertEqual(AWSNames.keyPair(lab: one, session: "demo", participant: "ann.le"), "lab-abcdefgh.demo.ann.le")
        XCTAssertEqual(AWSNames.keyPair(lab: nil, session: "demo", participant: "ann.le"), "demo.ann.le")
        XCTAssertEqual(AWSNames.session(lab: one, project: "k8s-training", session: "demo"), "labctl-lab-abcdefgh-demo")
        XCTAssertEqual(AWSNames.session(lab: nil, project: "k8s-training", session: "demo"), "labctl-k8s-training-demo")
        // IAM role and schedule group names: at most 64 characters for the longest session name.
        XCTAssertLessThanOrEqual(AWSNames.session(lab: one, project: "x", session: String(repeating: "s", count: SessionName.maximumLength)).count, 64)
    }

    func testLabIDsAreWellFormedAndRandom() {
        let ids = (0..<50).map { _ in LabID.generate() }
        XCTAssertEqual(Set(ids).count, 50)
        for id in ids { XCTAssertNotNil(LabID(id.value)) }
        for bad in ["lab-ABCDEFGH", "lab-abcdefg", "lab-abcdefgh1", "lab-abcdefg1", "xyz-abcdefgh", ""] {
            XCTAssertNil(LabID(bad), bad)
        }
    }
}

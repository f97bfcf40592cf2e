import Foundation
import LabCore
import LabProvision
import LabTestSupport
import LabWorkflows
import XCTest

/// Build a session's Terraform inputs: secrets made once and kept, keys without comments.
final class SessionInputsTests: XCTestCase {
    var lab: WorkflowLab!
    override func setUpWithError() throws { lab = try WorkflowLab("wf-inputs") }
    override func tearDown() { lab.remove() }

    func testSecretsAreMadeOnceAndKeysLoseTheirComment() throws {
        let (ann, annKey) = try lab.add("ann.lee", comment: "ann@laptop with spaces")
        try lab.add("bob.kim")
        let first = try SessionInputsBuilder.build(session: lab.session, registry: lab.registry)
        let again = try SessionInputsBuilder.build(session: lab.session, registry: lab.registry)
        XCTAssertEqual(first.clusters.map(\.discreteID), [ann.discreteID, "bob.ki"])
        XCTAssertEqual(first.operatorPublicKey, again.operatorPublicKey, "the operator key is generated once")
        XCTAssertEqual(first.clusters.map(\.caCertPEM), again.clusters.map(\.caCertPEM), "each cluster's CA is generated once")
        XCTAssertNotEqual(first.clusters[0].joinToken, first.clusters[1].joinToken)
        // EC2 imports `type base64`: the comment (free text) stays out of AWS.
        let fields = annKey.publicLine.split(separator: " ")
        XCTAssertEqual(first.clusters[0].publicKey, "\(fields[0]) \(fields[1])")
        XCTAssertEqual(first.clusters[0].podCIDR, ann.podCIDR)
    }
}

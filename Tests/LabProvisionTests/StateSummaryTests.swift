import Foundation
import XCTest
@testable import LabProvision

/// `StateSummary.parse` reads only what `labctl status` shows from a Terraform state (v4
/// format): managed resource instances counted as `terraform state list` does, the EC2
/// instances with their address, id, state, public IP and tags.
final class StateSummaryTests: XCTestCase {
    /// A state in Terraform's format: for_each and count instances, a data source (not
    /// counted), a module resource, a resource with no instances left, tags null or absent,
    /// and large attributes the summary never reads.
    private let state = #"""
    {
      "version": 4, "terraform_version": "1.9.8", "serial": 42, "lineage": "0b1c",
      "outputs": {"clusters": {"value": {"alice": {"master_public_ip": "203.0.113.9"}}, "type": ["map", "string"]}},
      "resources": [
        {"mode": "data", "type": "aws_vpc", "name": "network", "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
         "instances": [{"schema_version": 0, "attributes": {"id": "vpc-1", "cidr_block": "10.0.0.0/16"}}]},
        {"mode": "managed", "type": "aws_instance", "name": "master", "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
         "instances": [
           {"index_key": "alice.sm", "schema_version": 1,
            "attributes": {"id": "i-0a", "instance_state": "running", "public_ip": "203.0.113.9", "user_data": "\#(String(repeating: "x", count: 20_000))",
                           "tags": {"Participant": "alice.smith", "Role": "master", "Session": "s1"},
                           "root_block_device": [{"volume_size": 30, "tags": null}]},
            "sensitive_attributes": [], "dependencies": ["aws_security_group.cluster"]},
           {"index_key": "bob.jo", "schema_version": 1,
            "attributes": {"id": "i-0b", "instance_state": "stopped", "public_ip": "", "tags": null}}
         ]},
        {"mode": "managed", "type": "aws_instance", "name": "worker",
         "instances": [{"index_key": 0, "attributes": {"id": "i-0c", "instance_state": "pending", "tags": {"Role": "worker", "Participant": "alice.smith"}}},
                       {"index_key": 1, "attributes": {"id": "i-0d"}}]},
        {"mode": "managed", "type": "aws_security_group", "name": "cluster",
         "instances": [{"index_key": "alice.sm", "attributes": {"id": "sg-1", "ingress": [{"from_port": 22, "tags": {"x": "y"}}]}},
                       {"index_key": "bob.jo", "attributes": {"id": "sg-2"}}]},
        {"module": "module.lifetime", "mode": "managed", "type": "aws_instance", "name": "timer",
         "instances": [{"attributes": {"id": "i-0e", "instance_state": "running", "public_ip": "198.51.100.7"}}]},
        {"mode": "managed", "type": "terraform_data", "name": "master_bootstrap",
         "instances": [{"index_key": "alice.sm", "attributes": {"input": {"value": "\#(String(repeating: "y", count: 5_000))", "type": "string"}}}]},
        {"mode": "managed", "type": "aws_key_pair", "name": "participant", "instances": []}
      ],
      "check_results": null
    }
    """#

    func testCountsManagedInstancesAndReadsTheEC2Instances() throws {
        let summary = try StateSummary.parse(Data(state.utf8))
        // 2 masters + 2 workers + 2 security groups + 1 module instance + 1 terraform_data;
        // the data source and the empty key pair list count nothing.
        XCTAssertEqual(summary.resourceCount, 8)
        XCTAssertEqual(summary.serial, 42)
        XCTAssertEqual(summary.terraformVersion, "1.9.8")
        XCTAssertEqual(summary.instances, [
            .init(address: #"aws_instance.master["alice.sm"]"#, id: "i-0a", state: "running", publicIP: "203.0.113.9",
                  discreteID: "alice.smith", role: "master"),
            .init(address: #"aws_instance.master["bob.jo"]"#, id: "i-0b", state: "stopped", publicIP: "", discreteID: nil, role: nil),
            .init(address: "aws_instance.worker[0]", id: "i-0c", state: "pending", publicIP: nil, discreteID: "alice.smith", role: "worker"),
            .init(address: "aws_instance.worker[1]", id: "i-0d", state: nil, publicIP: nil, discreteID: nil, role: nil),
            .init(address: "module.lifetime.aws_instance.timer", id: "i-0e", state: "running", publicIP: "198.51.100.7",
                  discreteID: nil, role: nil),
        ])
    }

    func testEmptyStatesAndStatesWithoutResources() throws {
        XCTAssertEqual(try StateSummary.parse(Data()), .empty)
        let destroyed = try StateSummary.parse(Data(#"{"version": 4, "serial": 7, "resources": [], "outputs": {}}"#.utf8))
        XCTAssertEqual(destroyed.resourceCount, 0)
        XCTAssertEqual(destroyed.instances, [])
        XCTAssertEqual(destroyed.serial, 7)
    }

    func testAFileThatIsNotAStateIsAnErrorNamingTheProblem() {
        for text in ["[1, 2]", "{\"resources\": ", "not json", #"{"resources": [{"type": 5}]}"#] {
            XCTAssertThrowsError(try StateSummary.parse(Data(text.utf8)), text) { error in
                XCTAssertTrue("\(error)".contains("state"), "\(error)")
            }
        }
    }
}

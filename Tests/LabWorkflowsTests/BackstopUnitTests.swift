@testable import LabWorkflows
import XCTest

/// The pieces of the backstop (docs/lifetime.md) that need no emulator: status's stopped
/// instances and their start command, sweep's delete command for a left-over schedule group.
final class BackstopUnitTests: XCTestCase {
    func testStoppedInstancesAreNamedSortedWithTheOneCommandThatStartsThem() throws {
        let stopped = try XCTUnwrap(StoppedInstances(states: [("i-0b", "stopped"), ("i-0a", "stopping"), ("i-0c", "running"),
                                                              ("i-0d", "terminated"), (nil, "stopped")], region: "eu-west-1"))
        XCTAssertEqual(stopped.ids, ["i-0a", "i-0b"])
        XCTAssertEqual(stopped.startCommand, "aws ec2 start-instances --region eu-west-1 --instance-ids i-0a i-0b")
        XCTAssertNil(StoppedInstances(states: [("i-0c", "running"), ("i-0d", "pending")], region: "eu-west-1"))
    }

    func testSweepKnowsHowToDeleteALeftOverScheduleGroup() {
        let arn = "arn:aws:scheduler:eu-west-1:123456789012:schedule-group/labctl-k8s-training-s1"
        XCTAssertEqual(SweepOrphans.kind(of: arn), "schedule-group")
        XCTAssertEqual(SweepOrphans.id(of: arn), "labctl-k8s-training-s1")
        XCTAssertEqual(SweepOrphans.deleteCommand(kind: "schedule-group", id: "labctl-k8s-training-s1", arn: arn, region: "eu-west-1"),
                       "aws scheduler delete-schedule-group --region eu-west-1 --name labctl-k8s-training-s1")
    }
}

import Foundation
import LabTestSupport
import XCTest
@testable import LabCore
@testable import LabStore

/// Delivery results of sheet mails (migration v6-sheets).
final class DeliveryRecordsTests: RegistryTestCase {

    func addJane(keyFile: String = "jane") throws -> Participant {
        let key = try KeyGen.generate(in: dir.url, name: keyFile)
        return try registry.register(session: "s1", name: ParticipantName(canonical: "jane.doe"), email: "jane@example.org",
                                     key: PublicKeyParser.parse(key.publicLine), via: .cli).participant
    }

    func testAttemptsAreCountedAndTheLatestWins() throws {
        let jane = try addJane()
        let id = try XCTUnwrap(jane.record.id)
        try registry.recordDelivery(DeliveryRecord(participantID: id, session: "s1", participant: "jane.doe", recipient: "jane@example.org",
                                                   status: .failed, detail: "550 mailbox unavailable", messageID: "a@x"))
        let second = try registry.recordDelivery(DeliveryRecord(participantID: id, session: "s1", participant: "jane.doe",
                                                                recipient: "jane@example.org", status: .sent, detail: "250 ok", messageID: "b@x"))
        XCTAssertEqual(second.attempts, 2)
        let stored = try XCTUnwrap(try registry.deliveries(session: "s1")["jane.doe"])
        XCTAssertEqual(stored.status, .sent)
        XCTAssertTrue(stored.delivered(to: "Jane@Example.org"))
        XCTAssertFalse(stored.delivered(to: "jd@example.net"), "a new address is a new delivery")
        XCTAssertEqual(try registry.auditLog(session: "s1").suffix(2).map(\.action), ["sheet-failed", "sheet-sent"])
    }

    func testRemovingAParticipantForgetsTheirDelivery() throws {
        let jane = try addJane()
        try registry.recordDelivery(DeliveryRecord(participantID: jane.record.id!, session: "s1", participant: "jane.doe",
                                                   recipient: "jane@example.org", status: .sent, detail: "250 ok", messageID: nil))
        try registry.removeParticipant(session: "s1", name: "jane.doe", via: .cli)
        XCTAssertTrue(try registry.deliveries(session: "s1").isEmpty)
        _ = try addJane(keyFile: "jane-again")
        XCTAssertTrue(try registry.deliveries(session: "s1").isEmpty, "the same name added again is mailed again")
    }
}

import LabSheets
import XCTest

/// The send rate bound, on a fake clock: no real waiting in the test.
final class SendPacerTests: XCTestCase {
    func testSpacesSendsByTheIntervalAndNeverWaitsForTheFirst() {
        var clock = 100.0
        var slept: [Double] = []
        var pacer = SendPacer(perMinute: 30, now: { clock }, sleep: { slept.append($0); clock += $0 })
        pacer.waitTurn()                // first: at once
        clock += 0.5                    // sending took 0.5 s
        pacer.waitTurn()                // must wait the rest of 2 s
        clock += 3                      // a slow send: no extra wait
        pacer.waitTurn()
        XCTAssertEqual(slept, [1.5])
        XCTAssertEqual(pacer.interval, 2)
    }
}

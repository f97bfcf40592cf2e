import Foundation
@testable import LabWorkflows
import XCTest

/// `labctl serve --reap-every`'s loop: a run now and after every pause, never one
/// after shutdown began, and only the lines worth a trainer's attention.
final class ReapScheduleTests: XCTestCase {
    /// Counts and answers for the closures, which run on whatever thread the loop is on.
    // @unchecked Sendable: every field is read and written under `lock`.
    final class Script: @unchecked Sendable {
        private let lock = NSLock()
        private var _reaps = 0
        private var _pauses: [TimeInterval] = []
        private var _events: [ReapSchedule.Event] = []
        private var pauseAnswers: [Bool]
        private let outcomes: [Result<[ReapSessions.Entry], Error>]

        init(pauseAnswers: [Bool], outcomes: [Result<[ReapSessions.Entry], Error>] = []) {
            self.pauseAnswers = pauseAnswers
            self.outcomes = outcomes
        }

        private func locked<T>(_ body: () -> T) -> T { lock.lock(); defer { lock.unlock() }; return body() }

        func reap() throws -> ReapSessions.Outcome {
            let n = locked { _reaps += 1; return _reaps - 1 }
            guard n < outcomes.count else { return ReapSessions.Outcome(entries: []) }
            return ReapSessions.Outcome(entries: try outcomes[n].get())
        }

        func pause(_ seconds: TimeInterval) -> Bool {
            locked { _pauses.append(seconds); return pauseAnswers.isEmpty ? false : pauseAnswers.removeFirst() }
        }

        func record(_ e: ReapSchedule.Event) { locked { _events.append(e) } }
        var reaps: Int { locked { _reaps } }
        var pauses: [TimeInterval] { locked { _pauses } }
        var events: [ReapSchedule.Event] { locked { _events } }
    }

    struct Boom: Error, CustomStringConvertible { var description: String { "state locked by another run" } }

    func schedule(_ script: Script, every interval: TimeInterval = 900) -> ReapSchedule {
        ReapSchedule(every: interval) { try script.reap() }
    }

    func testRunsNowAndAfterEveryPauseButNotAfterShutdownBeganDuringAPause() async {
        let script = Script(pauseAnswers: [true, true, false])
        let runs = await schedule(script, every: 42).run(stopping: { false }, pause: { script.pause($0) }, report: { script.record($0) })
        XCTAssertEqual(runs, 3)
        XCTAssertEqual(script.reaps, 3, "the pause that ended with shutdown starts no further run")
        XCTAssertEqual(script.pauses, [42, 42, 42], "every pause is the schedule's interval")
    }

    func testAServiceAlreadyStoppingStartsNoRun() async {
        let script = Script(pauseAnswers: [true])
        let runs = await schedule(script).run(stopping: { true }, pause: { script.pause($0) }, report: { script.record($0) })
        XCTAssertEqual(runs, 0)
        XCTAssertEqual(script.reaps, 0)
        XCTAssertEqual(script.pauses, [])
    }

    func testStoppingBetweenRunsIsSeenBeforeTheNextRun() async {
        let script = Script(pauseAnswers: [true, true, true, true])
        let runs = await schedule(script).run(stopping: { script.reaps >= 2 }, pause: { script.pause($0) }, report: { script.record($0) })
        XCTAssertEqual(runs, 2)
        XCTAssertEqual(script.reaps, 2)
    }

    func testReportsWhatWasNotSimplyNotDueAndKeepsGoingAfterAFailedRun() async {
        let destroyed = ReapSessions.Entry(session: "s2", action: .destroyed, detail: "ended 2026-11-29 17:00 UTC, grace 1h", log: ".labctl/logs/s2/destroy.log")
        let noEnd = ReapSessions.Entry(session: "s3", action: .noEnd, detail: "deployed with no session_end", log: nil)
        let notDue = ReapSessions.Entry(session: "s1", action: .notDue, detail: "ends in 3h", log: nil)
        let script = Script(pauseAnswers: [true, true, false],
                            outcomes: [.success([notDue, destroyed]), .failure(Boom()), .success([notDue, noEnd])])
        let runs = await schedule(script).run(stopping: { false }, pause: { script.pause($0) }, report: { script.record($0) })
        XCTAssertEqual(runs, 3, "a failed run does not end the schedule")
        XCTAssertEqual(script.events, [.reaped(destroyed), .failed("state locked by another run"), .reaped(noEnd)])
    }
}

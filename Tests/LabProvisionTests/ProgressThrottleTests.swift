import Foundation
import XCTest
@testable import LabProvision

/// Progress into a log or pipe: a line per phase, per quarter of the resources or per
/// interval, not one per resource; on a terminal every change.
final class ProgressThrottleTests: XCTestCase {
    /// Terraform's human output for an apply of `count` resources, one second apart.
    private func applyLines(_ count: Int) -> [String] {
        var lines = ["Initializing the backend...", "Plan: \(count) to add, 0 to change, 0 to destroy."]
        for i in 0..<count {
            lines.append("aws_instance.r[\(i)]: Creating...")
            lines.append("aws_instance.r[\(i)]: Creation complete after 1s [id=i-\(i)]")
        }
        lines.append("Apply complete! Resources: \(count) added, 0 changed, 0 destroyed.")
        return lines
    }

    /// Feeds the lines as the tracker does (only changed lines reach the throttle)
    /// and returns the printed progress lines.
    private func printed(_ lines: [String], everyChange: Bool, secondsPerLine: TimeInterval) -> [String] {
        var throttle = ProgressThrottle(everyChange: everyChange)
        var parser = ProgressParser()
        var out: [String] = []
        let start = Date(timeIntervalSince1970: 0)
        for (i, line) in lines.enumerated() {
            let before = parser.line
            parser.consume(line)
            guard parser.line != before else { continue }
            if throttle.shouldPrint(parser, now: start.addingTimeInterval(Double(i) * secondsPerLine)) { out.append(parser.line) }
        }
        return out
    }

    func testLogGetsPhasesAndQuartersNotEveryResource() {
        let out = printed(applyLines(28), everyChange: false, secondsPerLine: 0.1)
        XCTAssertEqual(out, ["init", "planned: 0/28 resources", "applying: 0/28 resources",
                             "applying: 7/28 resources", "applying: 14/28 resources",
                             "applying: 21/28 resources", "applying: 28/28 resources", "complete: 28 resources"])
    }

    func testSlowRunGetsALineEveryTenSeconds() {
        // 400 resources, 3 s per line: the quarter rule alone would wait 100 resources (600 s).
        let out = printed(applyLines(400), everyChange: false, secondsPerLine: 3)
        let applying = out.filter { $0.hasPrefix("applying") }
        // 803 lines × 3 s ≈ 2,400 s of applying → about one line per 10–12 s, never one per resource.
        XCTAssertGreaterThan(applying.count, 150)
        XCTAssertLessThan(applying.count, 300)
    }

    func testTerminalGetsEveryChange() {
        let out = printed(applyLines(28), everyChange: true, secondsPerLine: 0.1)
        XCTAssertEqual(out.filter { $0.hasPrefix("applying") }.count, 29) // 0/28 … 28/28
    }
}

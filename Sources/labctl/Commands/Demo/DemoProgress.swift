import Foundation
import LabDemo
import LabWorkflows

/// Prints `DemoRun`'s events: one line per demo step, "[n] what …" then "✓ 12.3 s: detail".
final class DemoProgress {
    private var current: (title: String, started: Date)?
    private var number = 0

    /// Every C stream: Glibc's `stdout` is a mutable global that Swift 6 refuses to touch.
    private func flush() { fflush(nil) }

    func show(_ event: DemoEvent) {
        switch event {
        case .note(let line): Swift.print(line); flush()
        case .stepStarted(let title): begin(title)
        case .stepFinished(let detail): end(detail)
        case .stepFailed: fail()
        }
    }

    private func begin(_ title: String) {
        number += 1
        current = (title, Date())
        Swift.print("\n[\(number)] \(title) …")
        flush()
    }

    private func end(_ detail: String) {
        guard let (_, started) = current else { return }
        Swift.print("    \(Terminal.green(Terminal.ok)) \(String(format: "%.1f s", Date().timeIntervalSince(started))): \(detail)")
        flush()
        current = nil
    }

    private func fail() {
        guard let (title, started) = current else { return }
        Swift.print("    \(Terminal.red(Terminal.bad)) \(title) failed after \(String(format: "%.1f s", Date().timeIntervalSince(started)))")
        flush()
        current = nil
    }
}

import Foundation
import LabCore

/// Follows Terraform's human output to show one live line per session:
/// the phase and how many resources are done.
public struct ProgressParser: Sendable {
    public private(set) var phase = "starting"
    public private(set) var done = 0
    public private(set) var planned: Int?
    public private(set) var summary: String?
    public private(set) var errors: [String] = []
    /// The first line saying AWS throttled an API call (the run is worth retrying).
    public private(set) var throttled: String?
    /// The resource Terraform last said it is still working on, and for how long.
    public private(set) var waiting: Wait?
    /// Set once a resource took longer than the limit and Terraform was stopped.
    public private(set) var overdue: String?

    public struct Wait: Sendable, Equatable {
        public var address: String
        /// "creating", "modifying", "destroying", "reading".
        public var action: String
        public var seconds: TimeInterval
        public init(address: String, action: String, seconds: TimeInterval) {
            self.address = address
            self.action = action
            self.seconds = seconds
        }
    }

    public init() {}

    /// Lines of the error block being read; its last sentence is what the user needs.
    private var errorBlock: [String]?

    public mutating func consume(_ line: String) {
        let t = line.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "│ ", with: "")
        if throttled == nil, Self.throttleMarkers.contains(where: { t.contains($0) }) { throttled = t }
        if var block = errorBlock, !t.hasPrefix("Error:") {
            if !t.isEmpty, !t.hasPrefix("on "), !t.hasPrefix("╵"), !t.hasPrefix("╷"), t.first?.isNumber != true {
                block.append(t)
                errorBlock = block
                errors[errors.count - 1] = block[0] + (block.count > 1 ? ": " + block[block.count - 1] : "")
            }
            return
        }
        if let wait = Self.wait(in: t) { waiting = wait; return }
        if t.hasPrefix("Initializing") { phase = "init" }
        else if t.hasPrefix("Refreshing state") || t.contains(": Refreshing state") { phase = "refresh" }
        else if t.hasPrefix("Plan:") {
            phase = "planned"
            planned = Self.numbers(in: t).reduce(0, +)
            summary = t
        } else if t.contains(": Creating...") || t.contains(": Modifying...") || t.contains(": Destroying...") {
            phase = t.contains("Destroying") ? "destroying" : "applying"
        } else if t.contains(": Creation complete") || t.contains(": Modifications complete") || t.contains(": Destruction complete") {
            done += 1
        } else if t.hasPrefix("Apply complete!") || t.hasPrefix("Destroy complete!") || t.hasPrefix("No changes.") {
            phase = "complete"
            summary = t
        } else if t.hasPrefix("Error:") {
            phase = "failed"
            errors.append(t)
            errorBlock = [t]
        }
    }

    /// "aws_budgets_budget.session[0]: Still creating... [2m10s elapsed]" → that wait.
    static func wait(in line: String) -> Wait? {
        guard let still = line.range(of: ": Still "), let dots = line.range(of: "...", range: still.upperBound..<line.endIndex),
              let open = line.range(of: "[", range: dots.upperBound..<line.endIndex),
              let elapsed = line.range(of: " elapsed]", range: open.upperBound..<line.endIndex),
              // "[id=i-0abc, 1m30s elapsed]" while destroying or modifying; "[10s elapsed]" while creating.
              let seconds = LifetimeDuration.parse(String(line[open.upperBound..<elapsed.lowerBound].split(separator: " ").last ?? ""))
        else { return nil }
        return Wait(address: String(line[..<still.lowerBound]), action: String(line[still.upperBound..<dots.lowerBound]), seconds: seconds)
    }

    /// Whether the resource being waited for is over `limit` (the first time only): then the
    /// reason, naming the resource and its AWS API, becomes the run's first error.
    public mutating func exceeds(limit: TimeInterval) -> Bool {
        guard overdue == nil, let waiting, waiting.seconds >= limit else { return false }
        let api = AWSServiceNames.describe(resourceAddress: waiting.address)
        let message = "\(waiting.address) was still \(waiting.action) after \(LifetimeDuration.format(waiting.seconds)) "
            + "(LABCTL_RESOURCE_TIMEOUT=\(LifetimeDuration.format(limit))): \(api) did not answer as Terraform expects, so Terraform was stopped. "
            + "Check that endpoint and the credentials' permissions, then run it again"
        overdue = message
        errors.insert(message, at: 0)
        return true
    }

    /// "apply: 5/7 resources" style.
    public var line: String {
        if let planned, planned > 0, phase != "complete" { return "\(phase): \(done)/\(planned) resources" }
        return done > 0 ? "\(phase): \(done) resources" : phase
    }

    /// AWS error codes of a throttled API call (EC2's, and the other services').
    static let throttleMarkers = ["RequestLimitExceeded", "Throttling", "Rate exceeded", "TooManyRequestsException"]

    /// "Plan: 2 to add, 1 to change, 0 to destroy." → [2, 1, 0]
    static func numbers(in s: String) -> [Int] {
        s.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
    }
}

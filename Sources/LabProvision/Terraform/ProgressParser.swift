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

/// A server reply: the 3-digit code and its text lines (`250-…` continuation lines joined).
public struct SMTPReply: Equatable, Sendable, CustomStringConvertible {
    public let code: Int
    public let lines: [String]

    public var text: String { lines.joined(separator: " ") }
    public var description: String { "\(code) \(text)" }
    public var isPositive: Bool { (200..<400).contains(code) }
}

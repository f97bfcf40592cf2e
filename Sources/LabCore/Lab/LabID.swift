/// A lab's identity: `lab-` and 8 base32 characters (RFC 4648, lower case), made once
/// when a lab is first used and kept in its registry. Tagged `LabId` on everything the
/// lab creates, so that two labs in one AWS account never see, sweep, reap or destroy
/// each other's resources (terraform/README.md). 40 random bits: two labs of one account
/// share an id with a chance of about n²/2⁴¹.
public struct LabID: Sendable, Hashable, CustomStringConvertible {
    public let value: String
    public var description: String { value }

    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
    public static let prefix = "lab-"

    /// A valid id (`^lab-[a-z2-7]{8}$`, as terraform/shared/lab_variables.tf checks), or nil.
    public init?(_ text: String) {
        guard text.hasPrefix(Self.prefix) else { return nil }
        let rest = text.dropFirst(Self.prefix.count)
        guard rest.count == 8, rest.allSatisfy({ Self.alphabet.contains($0) }) else { return nil }
        value = text
    }

    /// A fresh random id.
    public static func generate() -> LabID {
        var generator = SystemRandomNumberGenerator()
        let chars = (0..<8).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] }
        return LabID(Self.prefix + String(chars))!
    }
}

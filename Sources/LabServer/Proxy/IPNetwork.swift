/// An address range in CIDR notation (`10.0.0.0/8`, `fd00::/8`), or one address
/// (`127.0.0.1` is `/32`, `::1` is `/128`). Bits past the prefix are cleared
/// (`10.1.2.3/8` is `10.0.0.0/8`), so the range shown is the range matched.
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    public let address: IPAddress
    public let prefix: Int

    public init?(_ text: some StringProtocol) {
        let parts = text.trimmingSpaces.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let parsed = IPAddress(first) else { return nil }
        // An IPv4 range written as IPv4-mapped IPv6 (`::ffff:10.0.0.0/104`) counts its prefix over 128 bits.
        let writtenAsV6 = first.contains(":")
        let width = writtenAsV6 ? 128 : 32
        var prefix = width
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy(\.isASCIIDigit), let n = Int(parts[1]), n <= width else { return nil }
            prefix = n
        }
        if writtenAsV6, parsed.isIPv4 {
            guard prefix >= 96 else { return nil }
            prefix -= 96
        }
        self.prefix = prefix
        address = IPAddress(masking: parsed, to: prefix)
    }

    /// Whether `candidate` lies in this range (an IPv4 address never lies in an IPv6 range).
    public func contains(_ candidate: IPAddress) -> Bool {
        candidate.bytes.count == address.bytes.count && IPAddress(masking: candidate, to: prefix) == address
    }

    public var description: String { "\(address)/\(prefix)" }
}

extension IPAddress {
    /// `address` with every bit after the first `prefix` cleared.
    init(masking address: IPAddress, to prefix: Int) {
        var bytes = address.bytes
        for i in bytes.indices {
            let kept = max(0, min(8, prefix - i * 8))
            bytes[i] &= kept == 8 ? 0xff : ~(UInt8(0xff) >> kept)
        }
        self.init(bytes: bytes)
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
    var trimmingSpaces: Substring {
        let s = Substring(self)
        guard let start = s.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let end = s.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return s[start...end]
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

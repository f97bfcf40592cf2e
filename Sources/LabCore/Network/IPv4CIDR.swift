/// An IPv4 network in CIDR notation (`10.112.0.0/16`), normalised so the
/// address has no host bits set.
public struct IPv4CIDR: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let address: UInt32
    public let prefix: Int

    public init(address: UInt32, prefix: Int) {
        precondition((0...32).contains(prefix))
        self.prefix = prefix
        self.address = address & Self.mask(prefix)
    }

    public init?(_ text: String) {
        let halves = text.split(separator: "/", omittingEmptySubsequences: false)
        guard halves.count == 2, let prefix = Int(halves[1]), (0...32).contains(prefix) else { return nil }
        let octets = halves[0].split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard octet.count <= 3, let byte = UInt8(octet) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        guard value & ~Self.mask(prefix) == 0 else { return nil }
        self.init(address: value, prefix: prefix)
    }

    static func mask(_ prefix: Int) -> UInt32 { prefix == 0 ? 0 : ~UInt32(0) << (32 - prefix) }

    public var lastAddress: UInt32 { address | ~Self.mask(prefix) }

    public func overlaps(_ other: IPv4CIDR) -> Bool {
        address <= other.lastAddress && other.address <= lastAddress
    }

    public func contains(_ other: IPv4CIDR) -> Bool {
        prefix <= other.prefix && other.address & Self.mask(prefix) == address
    }

    /// The subnets of length `newPrefix` this network splits into, in order.
    public func subnets(prefix newPrefix: Int) -> [IPv4CIDR] {
        guard newPrefix >= prefix else { return [] }
        let step = UInt64(1) << UInt64(32 - newPrefix)
        return stride(from: UInt64(address), through: UInt64(lastAddress), by: Int(step)).map {
            IPv4CIDR(address: UInt32($0), prefix: newPrefix)
        }
    }

    public var description: String {
        let a = address
        return "\(a >> 24).\((a >> 16) & 0xff).\((a >> 8) & 0xff).\(a & 0xff)/\(prefix)"
    }

    public static func < (a: Self, b: Self) -> Bool { (a.address, a.prefix) < (b.address, b.prefix) }
}

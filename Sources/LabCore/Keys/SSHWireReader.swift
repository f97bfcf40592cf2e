/// Reads the SSH wire encoding (RFC 4251 `string`: uint32 length + bytes).
struct SSHWireReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    mutating func readString() -> [UInt8]? {
        guard remaining >= 4 else { return nil }
        let length = bytes[offset..<offset + 4].reduce(0) { ($0 << 8) | Int($1) }
        guard length <= remaining - 4 else { return nil }
        offset += 4
        defer { offset += length }
        return Array(bytes[offset..<offset + length])
    }
}

extension Array where Element == UInt8 {
    /// The bytes prefixed with their big-endian uint32 length, as SSH writes a `string`.
    public func sshString() -> [UInt8] {
        let n = UInt32(count)
        return [UInt8(n >> 24), UInt8((n >> 16) & 0xff), UInt8((n >> 8) & 0xff), UInt8(n & 0xff)] + self
    }
}

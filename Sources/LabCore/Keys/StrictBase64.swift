import Foundation

/// Base64 decoding as strict as OpenSSH's `b64_pton`: standard alphabet,
/// correct `=` padding, a length that is a multiple of four and zero bits
/// after the last full byte. Foundation's decoder is more lenient about the
/// last point, which would let two different texts name the same key.
enum StrictBase64 {
    private static let table: [Int8] = {
        var t = [Int8](repeating: -1, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = Int8(i) }
        return t
    }()

    static func decode(_ text: Substring) -> [UInt8]? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count % 4 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count / 4 * 3)
        var index = 0
        while index < bytes.count {
            let quad = bytes[index..<index + 4]
            index += 4
            let isLast = index == bytes.count
            var values = [Int](repeating: 0, count: 4)
            var padding = 0
            for (j, c) in quad.enumerated() {
                if c == UInt8(ascii: "=") {
                    guard isLast, j >= 2 else { return nil }
                    padding += 1
                    continue
                }
                guard padding == 0 else { return nil } // data after padding
                let v = table[Int(c)]
                guard v >= 0 else { return nil }
                values[j] = Int(v)
            }
            let n = (values[0] << 18) | (values[1] << 12) | (values[2] << 6) | values[3]
            out.append(UInt8((n >> 16) & 0xff))
            if padding < 2 { out.append(UInt8((n >> 8) & 0xff)) }
            if padding < 1 { out.append(UInt8(n & 0xff)) }
            // Bits that slop past the last full byte must be zero.
            if padding == 1, n & 0xff != 0 { return nil }
            if padding == 2, n & 0xffff != 0 { return nil }
        }
        return out
    }
}

/// Quoted-printable body encoding (RFC 2045 6.7): readable for mostly-ASCII text,
/// lines of at most 76 characters, CRLF line ends.
enum QuotedPrintable {
    static let maxLine = 76

    static func encode(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        return lines.map { encodeLine(Array(String($0).utf8)) }.joined(separator: "\r\n")
    }

    /// One hard line: each byte as itself or `=XX`, soft breaks (`=` CRLF) before 76 characters.
    static func encodeLine(_ bytes: [UInt8]) -> String {
        var pieces: [String] = []
        for (i, byte) in bytes.enumerated() {
            let isLast = i == bytes.count - 1
            let literal = (byte >= 33 && byte <= 126 && byte != 0x3D) || ((byte == 0x20 || byte == 0x09) && !isLast)
            pieces.append(literal ? String(UnicodeScalar(byte)) : "=" + HeaderEncoding.hex(byte))
        }
        var out = ""
        var lineLength = 0
        for (i, piece) in pieces.enumerated() {
            let isLast = i == pieces.count - 1
            // Room for the piece, plus a soft-break `=` unless it ends the line.
            if lineLength + piece.count + (isLast ? 0 : 1) > maxLine {
                out += "=\r\n"
                lineLength = 0
            }
            out += piece
            lineLength += piece.count
        }
        return out
    }
}

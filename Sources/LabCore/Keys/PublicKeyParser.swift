/// Validates a submitted public key exactly as OpenSSH reads one, accepting
/// only ed25519. Documented normalisations beyond `ssh-keygen -l`: a UTF-8
/// BOM, CR/CRLF line ends and RFC 4716 blocks. Documented refusals where
/// ssh-keygen would accept: authorized_keys options, several keys, other types.
public enum PublicKeyParser {
    /// Longest input accepted; a public key line is well under 1 KiB.
    public static let maximumInputBytes = 16 * 1024

    public static func parse(_ input: String) throws(KeyRefusal) -> SSHPublicKey {
        guard input.utf8.count <= maximumInputBytes else { throw .malformedLine }
        var text = Substring(input)
        if text.first == "\u{FEFF}" { text = text.dropFirst() }
        if looksLikePrivateKey(text) { throw .privateKey }

        // Swift treats "\r\n" as one Character, so split on both explicitly.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        if lines.contains(where: { $0.trimmingSSHWhitespace() == RFC4716.begin }) {
            let blocks: [RFC4716.Block]
            do { blocks = try RFC4716.blocks(in: lines) } catch { throw .malformedLine }
            guard blocks.count == 1 else { throw .multipleKeys(blocks.count) }
            return try parseRFC4716(blocks[0])
        }

        let keyLines = lines.map { $0.trimmingSSHWhitespace() }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard !keyLines.isEmpty else { throw .empty }
        guard keyLines.count == 1 else { throw .multipleKeys(keyLines.count) }
        return try parseLine(keyLines[0])
    }

    /// Any of the private key armours OpenSSH, OpenSSL and PuTTY write.
    static func looksLikePrivateKey(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        if bytes.contains(subsequence: "PuTTY-User-Key-File") { return true }
        if bytes.contains(subsequence: "-----BEGIN"), bytes.contains(subsequence: "PRIVATE KEY") { return true }
        return bytes.contains(subsequence: "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----")
    }

    static func parseLine(_ line: Substring) throws(KeyRefusal) -> SSHPublicKey {
        let (type, afterType) = nextField(line)
        let typeName = String(type)
        if typeName != SSHPublicKey.ed25519Type {
            if KeyTypes.securityKeys.contains(typeName) { throw .securityKey(typeName) }
            if KeyTypes.isCertificate(typeName) { throw .certificate(typeName) }
            if KeyTypes.otherPlain.contains(typeName) { throw .unsupportedType(typeName) }
            // Not a type first: options before the key, or not a key at all.
            if afterType.split(whereSeparator: { $0 == " " || $0 == "\t" }).contains(where: KeyTypes.isKeyType) {
                throw .optionsPrefix
            }
            if typeName.hasPrefix("ssh-") || typeName.hasPrefix("ecdsa-") { throw .unsupportedType(typeName) }
            throw .malformedLine
        }
        let (data, rest) = nextField(afterType)
        guard !data.isEmpty else { throw .truncatedBlob }
        guard let blob = StrictBase64.decode(data) else { throw .invalidBase64 }
        try checkBlob(blob, lineType: typeName)
        return SSHPublicKey(type: typeName, blob: blob, comment: String(rest))
    }

    static func parseRFC4716(_ block: RFC4716.Block) throws(KeyRefusal) -> SSHPublicKey {
        guard let blob = StrictBase64.decode(Substring(block.base64)) else { throw .invalidBase64 }
        var reader = SSHWireReader(blob)
        guard let typeBytes = reader.readString() else { throw .truncatedBlob }
        let type = String(decoding: typeBytes, as: UTF8.self)
        // Re-enter the one-line path so both forms get the same checks and messages.
        let comment = block.comment.isEmpty ? "" : " " + block.comment
        return try parseLine(Substring("\(type) \(block.base64)\(comment)"))
    }

    static func checkBlob(_ blob: [UInt8], lineType: String) throws(KeyRefusal) {
        var reader = SSHWireReader(blob)
        guard let typeBytes = reader.readString() else { throw .truncatedBlob }
        let blobType = String(decoding: typeBytes, as: UTF8.self)
        guard blobType == lineType else {
            let printable = blobType.allSatisfy { $0.isASCII && !$0.isNewline } ? blobType : ""
            throw .blobTypeMismatch(line: lineType, blob: String(printable.prefix(64)))
        }
        guard let key = reader.readString() else { throw .truncatedBlob }
        guard key.count == 32 else { throw .wrongKeyLength(key.count) }
        guard reader.remaining == 0 else { throw .trailingData(reader.remaining) }
    }

    /// Splits off the next space/tab-separated field, as OpenSSH's `sshkey_read` does.
    static func nextField(_ s: Substring) -> (field: Substring, rest: Substring) {
        let trimmed = s.trimmingSSHWhitespace()
        guard let end = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return (trimmed, "") }
        return (trimmed[..<end], trimmed[end...].trimmingSSHWhitespace())
    }
}

extension Array where Element == UInt8 {
    /// Byte-wise substring search; keeps the parser free of Foundation's slower bridging.
    func contains(subsequence needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard n.count <= count, let first = n.first else { return n.isEmpty }
        var i = 0
        while i <= count - n.count {
            if self[i] == first, self[i..<i + n.count].elementsEqual(n) { return true }
            i += 1
        }
        return false
    }
}

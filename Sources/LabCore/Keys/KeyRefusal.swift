/// Why a submitted public key was refused. Every case renders a message that
/// names the problem and tells the participant what to do next; none of them
/// ever contains the submitted material (it may be a private key).
public enum KeyRefusal: Error, Equatable, Sendable {
    case empty
    case privateKey
    case unsupportedType(String)
    case securityKey(String)
    case certificate(String)
    case optionsPrefix
    case multipleKeys(Int)
    case malformedLine
    case invalidBase64
    case truncatedBlob
    case blobTypeMismatch(line: String, blob: String)
    case wrongKeyLength(Int)
    case trailingData(Int)
    case unreadable(String)

    /// A short stable identifier, used in JSON output and tests.
    public var code: String {
        switch self {
        case .empty: return "empty"
        case .privateKey: return "private-key"
        case .unsupportedType: return "unsupported-type"
        case .securityKey: return "security-key"
        case .certificate: return "certificate"
        case .optionsPrefix: return "options-prefix"
        case .multipleKeys: return "multiple-keys"
        case .malformedLine: return "malformed"
        case .invalidBase64: return "invalid-base64"
        case .truncatedBlob: return "truncated-blob"
        case .blobTypeMismatch: return "blob-type-mismatch"
        case .wrongKeyLength: return "wrong-key-length"
        case .trailingData: return "trailing-data"
        case .unreadable: return "unreadable"
        }
    }

    static let generateHint = "Create one with: ssh-keygen -t ed25519 -C \"first.last\" and send ~/.ssh/id_ed25519.pub (the .pub file, never the other one)."

    /// The user-facing reason and next step, in one or two sentences.
    public var message: String {
        switch self {
        case .empty:
            return "no public key found (the input is empty or only comments). " + Self.generateHint
        case .privateKey:
            return "this is a PRIVATE key: it was not stored. Keep it secret (if you shared it anywhere, make a new one) and send the .pub file instead, e.g. ~/.ssh/id_ed25519.pub."
        case .unsupportedType(let type):
            return "this is \(Self.describe(type)) key (\(type)). The lab accepts ed25519 keys only. " + Self.generateHint
        case .securityKey(let type):
            return "this is a hardware security-key (FIDO) key (\(type)); EC2 key pairs cannot import it. " + Self.generateHint
        case .certificate(let type):
            return "this is an OpenSSH certificate (\(type)), not a plain public key. Send the plain key (id_ed25519.pub, not id_ed25519-cert.pub)."
        case .optionsPrefix:
            return "the line starts with authorized_keys options; send the bare public key line (ssh-ed25519 AAAA… comment) as found in ~/.ssh/id_ed25519.pub."
        case .multipleKeys(let n):
            return "found \(n) keys; send exactly one ed25519 public key per participant."
        case .malformedLine:
            return "this is not an OpenSSH public key line (expected: ssh-ed25519 AAAA… comment). Send the content of ~/.ssh/id_ed25519.pub unchanged."
        case .invalidBase64:
            return "the key data is not valid base64 (truncated or altered when copied?). Copy ~/.ssh/id_ed25519.pub again, as one line."
        case .truncatedBlob:
            return "the key data is truncated (the line was probably cut when copied). Copy ~/.ssh/id_ed25519.pub again, as one line."
        case .blobTypeMismatch(let line, let blob):
            return "the key data says \(blob.isEmpty ? "nothing readable" : "'\(blob)'") but the line says '\(line)'; the key was altered. Copy ~/.ssh/id_ed25519.pub again."
        case .wrongKeyLength(let n):
            return "an ed25519 key has 32 bytes, this one has \(n); the key was altered. Copy ~/.ssh/id_ed25519.pub again."
        case .trailingData(let n):
            return "the key data has \(n) unexpected trailing byte(s); the key was altered. Copy ~/.ssh/id_ed25519.pub again."
        case .unreadable(let reason):
            return "cannot read it (\(reason)). Check the path and permissions."
        }
    }

    private static func describe(_ type: String) -> String {
        if type == "ssh-rsa" { return "an RSA" }
        if type == "ssh-dss" { return "a DSA" }
        if type.hasPrefix("ecdsa-sha2-") { return "an ECDSA" }
        return "a '\(type)'"
    }
}

extension KeyRefusal: CustomStringConvertible {
    public var description: String { message }
}

import ArgumentParser
import Foundation
import LabCore

/// `labctl keys check FILE...`: validates key files without touching the database.
struct KeysCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate public key files as OpenSSH would (no database needed).",
        discussion: """
        Prints one line per input: ✓ path: SHA256:… comment, or ✗ path: reason.
        `-` reads standard input; a folder means every *.pub file in it. Exit 0 if all are valid ed25519 keys, 1 if any is not.
          labctl keys check participants/session-1/*.pub
          cat key.pub | labctl keys check --json -
        """
    )

    @Flag(name: .long, help: "Print a JSON array (source, valid, type, fingerprint, comment, error) in input order.")
    var json = false

    @Argument(help: ArgumentHelp("Key files or folders (their *.pub files) to check; - for standard input.", valueName: "file"))
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("Give at least one key file, or - for standard input.") }
    }

    struct Verdict: Encodable {
        var source: String
        var valid: Bool
        @NullEncoded var type: String?
        @NullEncoded var fingerprint: String?
        @NullEncoded var comment: String?
        @NullEncoded var error: String?
    }

    func run() throws {
        let verdicts = KeySources.expand(files).map { file -> Verdict in
            switch KeyFileReader.read(path: file) {
            case .success(let key):
                return Verdict(source: file, valid: true, type: key.type, fingerprint: key.fingerprint, comment: key.comment, error: nil)
            case .failure(let refusal):
                return Verdict(source: file, valid: false, type: refusal.keyType, fingerprint: nil, comment: nil, error: refusal.message)
            }
        }
        if json {
            try JSONOutput.print(verdicts)
        } else {
            var out = OutputBuffer()
            for v in verdicts {
                if v.valid {
                    let comment = v.comment.map { $0.isEmpty ? "" : " " + $0 } ?? ""
                    out.line("\(Terminal.green(Terminal.ok)) \(v.source): \(v.fingerprint!)\(comment)")
                } else {
                    out.line("\(Terminal.red(Terminal.bad)) \(v.source): \(v.error!)")
                }
            }
            out.flush()
        }
        if verdicts.contains(where: { !$0.valid }) { throw LabFailure.silentNotOK }
    }
}

/// Expands folder arguments to the `.pub` files inside them, sorted; files and `-` stay as given.
enum KeySources {
    static func expand(_ sources: [String]) -> [String] {
        sources.flatMap { source -> [String] in
            var isDir: ObjCBool = false
            guard source != "-", FileManager.default.fileExists(atPath: source, isDirectory: &isDir), isDir.boolValue,
                  let names = try? FileManager.default.contentsOfDirectory(atPath: source) else { return [source] }
            let base = source.hasSuffix("/") ? source : source + "/"
            return names.filter { $0.hasSuffix(".pub") }.sorted().map { base + $0 }
        }
    }
}

extension KeyRefusal {
    /// The key type the input claimed, when it got that far.
    var keyType: String? {
        switch self {
        case .unsupportedType(let t), .securityKey(let t), .certificate(let t): return t
        case .blobTypeMismatch(let line, _): return line
        case .wrongKeyLength, .trailingData, .invalidBase64, .truncatedBlob: return SSHPublicKey.ed25519Type
        default: return nil
        }
    }
}

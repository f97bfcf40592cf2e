// libFuzzer entry point for labctl's untrusted-input parsers: the public key
// parser (web form, API, files) and the tfvars reader. Built by scripts/fuzz.sh
// from LabCore's sources with -sanitize=fuzzer,address.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    if let key = try? PublicKeyParser.parse(text) {
        // Invariants of an accepted key: ed25519 wire size, and the normalised line reads back the same.
        precondition(key.blob.count == 51, "accepted a blob of \(key.blob.count) bytes")
        let again = try? PublicKeyParser.parse(key.openSSHLine)
        precondition(again?.blob == key.blob, "normalised line does not round-trip")
    }
    _ = try? TFVarsReader.read(text, file: "fuzz.tfvars")
    return 0
}

import Foundation

/// Reads and validates one key file (or stdin for `-`). A missing or
/// unreadable file is an invalid input with a reason, never a crash.
public enum KeyFileReader {
    public static func read(path: String) -> Result<SSHPublicKey, KeyRefusal> {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return .failure(.unreadable("no such file")) }
            guard !isDir.boolValue else { return .failure(.unreadable("it is a directory")) }
            guard let handle = FileHandle(forReadingAtPath: path) else { return .failure(.unreadable("permission denied")) }
            defer { try? handle.close() }
            // One byte more than the limit tells "too large" without reading a huge file.
            data = (try? handle.read(upToCount: PublicKeyParser.maximumInputBytes + 1)) ?? Data()
        }
        guard data.count <= PublicKeyParser.maximumInputBytes else {
            return .failure(.unreadable("larger than \(PublicKeyParser.maximumInputBytes / 1024) KiB; a public key file is one short line"))
        }
        return Result { () throws(KeyRefusal) in try PublicKeyParser.parse(String(decoding: data, as: UTF8.self)) }
    }
}

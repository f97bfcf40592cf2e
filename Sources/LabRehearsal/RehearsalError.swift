import Foundation

/// A local stand-in (emulator, loopback server) could not be started or stopped.
public struct RehearsalError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Finds executables on PATH (and the sbin folders, where Debian puts sshd).
public enum Executables {
    public static func find(_ name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/local/sbin"] {
            let candidate = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw RehearsalError("\(name) is not installed or not on PATH; run scripts/setup.sh")
    }
}

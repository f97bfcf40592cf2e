import Foundation
import LabCore

/// Runs real programs (ssh-keygen, labctl, terraform) from tests.
public enum Shell {
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String

        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// Runs `executable` with `arguments`, feeding `input` on stdin; waits for it.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], input: Data? = nil,
                           environment: [String: String]? = nil, directory: URL? = nil) throws -> Output {
        let child = try ChildProcess(executable, arguments, environment: environment, directory: directory,
                                     input: .data(input ?? Data()), output: .capture, error: .capture)
        return Output(status: child.waitUntilExit().status, stdout: child.stdout, stderr: child.stderr)
    }

    public static func which(_ name: String) throws -> String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw TestSupportError("\(name) not found on PATH")
    }
}

public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

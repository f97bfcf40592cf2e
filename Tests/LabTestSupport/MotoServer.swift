import Foundation

/// A real `moto_server` (the AWS emulator) on a free loopback port, started
/// for a test class and stopped afterwards. Terraform's AWS provider reaches
/// it through `AWS_ENDPOINT_URL`; nothing else is ever dialled.
public final class MotoServer: @unchecked Sendable {
    public let port: Int
    private let process: Process
    public let logURL: URL

    public var endpoint: String { "http://127.0.0.1:\(port)" }

    public init(amisPath: String? = nil, directory: URL) throws {
        port = try FreePort.find()
        logURL = directory.appendingPathComponent("moto.log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: try Shell.which("moto_server"))
        process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        var env = ProcessInfo.processInfo.environment
        if let amisPath { env["MOTO_AMIS_PATH"] = amisPath }
        process.environment = env
        let log = try FileHandle(forWritingTo: logURL)
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try waitUntilListening(timeout: 60)
    }

    private func waitUntilListening(timeout: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard process.isRunning else { throw TestSupportError("moto_server exited; see \(logURL.path)") }
            if FreePort.canConnect(port: port) { return }
            usleep(100_000)
        }
        throw TestSupportError("moto_server did not listen on 127.0.0.1:\(port) within \(timeout) s")
    }

    /// The environment for Terraform and boto3 against this emulator: dummy
    /// credentials, the endpoint, and the provider's emulator switches.
    public func environment(extra: [String: String] = [:]) -> [String: String] {
        var env: [String: String] = [
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-1",
            "AWS_EC2_METADATA_DISABLED": "true",
            "TF_VAR_skip_credentials_validation": "true",
            "TF_VAR_skip_requesting_account_id": "true",
            "TF_VAR_skip_metadata_api_check": "true",
            "TF_CLI_CONFIG_FILE": "/dev/null",
            "LABCTL_TF_PLUGIN_DIR": ProcessInfo.processInfo.environment["LABCTL_TF_PLUGIN_DIR"] ?? "/opt/tf-plugins",
        ]
        for (k, v) in extra { env[k] = v }
        return env
    }

    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// Free loopback ports for test servers.
public enum FreePort {
    public static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket() failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard bound else { throw TestSupportError("bind() failed") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    public static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

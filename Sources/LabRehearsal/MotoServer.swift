import Foundation
import LabCore

/// A real `moto_server` (the AWS emulator) on a free loopback port, started
/// by a test class or `labctl demo` and stopped afterwards. Terraform's AWS provider reaches
/// it through `AWS_ENDPOINT_URL`; nothing else is ever dialled. AWS Budgets, which moto
/// answers only in part, and (given a quotas file) Service Quotas go to an
/// `AWSJSONEmulator` started and stopped with it.
public final class MotoServer: Sendable {
    public let port: Int
    private let process: ChildProcess
    public let logURL: URL
    /// Budgets and, with `quotas`, Service Quotas.
    public let awsJSON: AWSJSONEmulator

    public var endpoint: String { "http://127.0.0.1:\(port)" }
    public var processIdentifier: Int32 { process.processIdentifier }

    /// `quotas`: Service Quotas answers for the emulator (see `AWSJSONEmulator`); nil:
    /// Service Quotas requests go to moto.
    public init(amisPath: String? = nil, directory: URL, quotas: URL? = nil) throws {
        port = try FreePort.find()
        logURL = directory.appendingPathComponent("moto.log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        var env = ProcessInfo.processInfo.environment
        if let amisPath { env["MOTO_AMIS_PATH"] = amisPath }
        awsJSON = try AWSJSONEmulator(directory: directory, quotas: quotas)
        do {
            process = try ChildProcess(try Executables.find("moto_server"), ["-H", "127.0.0.1", "-p", String(port)],
                                       environment: env, output: .file(logURL, append: true), error: .sameAsStdout,
                                       registry: nil)
        } catch {
            awsJSON.stop()
            throw error
        }
        do {
            try waitUntilListening(timeout: 60)
        } catch {
            stop()
            throw error
        }
    }

    private func waitUntilListening(timeout: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard process.isRunning else { throw RehearsalError("moto_server exited; see \(logURL.path)") }
            if FreePort.canConnect(port: port) { return }
            usleep(100_000)
        }
        throw RehearsalError("moto_server did not listen on 127.0.0.1:\(port) within \(timeout) s")
    }

    /// The environment for Terraform and boto3 against this emulator: dummy
    /// credentials, the endpoint, and the provider's emulator switches.
    /// The provider does ask moto (STS) for the account id: without it the provider writes
    /// a group-referencing rule's `referenced_security_group_id` as "<account>/sg-…", every
    /// plan then shows a change, and applying it calls ModifySecurityGroupRules, which
    /// moto 5.2.1 refuses for protocol -1 rules ("Must specify both from and to ports") —
    /// so a second apply (a new end, a new participant) failed on the emulator only.
    public func environment(extra: [String: String] = [:]) -> [String: String] {
        var env: [String: String] = [
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ENDPOINT_URL_BUDGETS": awsJSON.endpoint,
            "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-1",
            "AWS_EC2_METADATA_DISABLED": "true",
            "TF_VAR_skip_credentials_validation": "true",
            "TF_VAR_skip_metadata_api_check": "true",
        ]
        if awsJSON.quotas != nil { env["AWS_ENDPOINT_URL_SERVICE_QUOTAS"] = awsJSON.endpoint }
        // The provider mirror is a setting ($LABCTL_TF_PLUGIN_DIR); with it, the user's
        // CLI config is set aside so that nothing asks a registry.
        if let mirror = ProcessInfo.processInfo.environment["LABCTL_TF_PLUGIN_DIR"], !mirror.isEmpty {
            env["LABCTL_TF_PLUGIN_DIR"] = mirror
            env["TF_CLI_CONFIG_FILE"] = "/dev/null"
        }
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// Whether moto and the JSON emulator both still run.
    public var isRunning: Bool { process.isRunning && awsJSON.isRunning }

    public func stop() {
        _ = process.stop()
        awsJSON.stop()
    }

    deinit { stop() }
}

import Foundation
import LabCore

/// A loopback stand-in for the AWS JSON 1.1 APIs moto answers only in part, next to moto
/// (see `MotoServer`): AWS Budgets (moto 5.2.1 lacks `DescribeSubscribersForNotification`
/// and `ListTagsForResource`, which the AWS provider's `aws_budgets_budget` calls after
/// every create and read), reached through `AWS_ENDPOINT_URL_BUDGETS` and kept in memory;
/// and, given a quotas file, Service Quotas for the quota codes moto does not know,
/// reached through `AWS_ENDPOINT_URL_SERVICE_QUOTAS`. The tests read both back with boto3
/// like any AWS API. One Python server for both, so that the JSON 1.1 protocol (headers,
/// error shape) is written once.
/// The Python source is this target's resource `aws-json-emulator.py`, found through
/// `Bundle.module`: the `labctl_LabRehearsal.resources` folder SwiftPM builds next to the
/// binary (copy it along when labctl is installed elsewhere).
public final class AWSJSONEmulator: Sendable {
    public let port: Int
    public let logURL: URL
    /// The Service Quotas answers it was started with; nil: it answers Budgets only.
    public let quotas: URL?
    private let process: ChildProcess

    public var endpoint: String { "http://127.0.0.1:\(port)" }
    public var processIdentifier: Int32 { process.processIdentifier }

    /// The lines logged so far: one per request (`CreateBudget 200`, a Service Quotas
    /// request also as `GetServiceQuota ec2/L-1216C47A`).
    public var logLines: [String] {
        ((try? String(contentsOf: logURL, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// `quotas`: a JSON file of Service Quotas answers (see the script), read on every
    /// request so that a test may change it between checks; nil: Service Quotas requests fail.
    public init(directory: URL, quotas: URL? = nil) throws {
        port = try FreePort.find()
        self.quotas = quotas
        let script = try Self.script()
        logURL = directory.appendingPathComponent("aws-json-emulator.log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        process = try ChildProcess(try Executables.find("python3"), [script.path, String(port)] + (quotas.map { [$0.path] } ?? []),
                                   output: .file(logURL, append: true), error: .sameAsStdout, registry: nil)
        let deadline = Date().addingTimeInterval(30)
        while !FreePort.canConnect(port: port) {
            guard process.isRunning else { throw RehearsalError("the AWS JSON emulator exited; see \(logURL.path)") }
            guard Date() < deadline else {
                _ = process.stop()
                throw RehearsalError("the AWS JSON emulator did not listen on 127.0.0.1:\(port) within 30 s")
            }
            usleep(50_000)
        }
    }

    public var isRunning: Bool { process.isRunning }

    public func stop() { _ = process.stop() }

    deinit { stop() }

    /// The server's source, a resource of this target.
    static func script() throws -> URL {
        guard let url = Bundle.module.url(forResource: "aws-json-emulator", withExtension: "py") else {
            throw RehearsalError("aws-json-emulator.py is missing from \(Bundle.module.bundlePath); rebuild labctl (swift build) so that its resources sit next to the binary")
        }
        return url
    }
}

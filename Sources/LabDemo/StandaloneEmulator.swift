import Foundation
import LabRehearsal

/// `labctl demo --emulator-only`: the rehearsal's AWS emulator on its own, for a trainer's
/// own emulator rehearsal with `labctl` and Terraform: moto on loopback, plus the loopback
/// stand-in for the Budgets calls moto lacks (without it, `aws_budgets_budget` waits for
/// minutes), with the demo's Ubuntu images. Nothing is created on AWS.
public final class StandaloneEmulator {
    public let moto: MotoServer
    public let directory: URL

    /// Starts both servers on free loopback ports, their logs in `directory`; the images are
    /// moto's `MOTO_AMIS_PATH` when set, else the demo's Ubuntu 24.04 image.
    public init(directory: URL, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        self.directory = directory
        var amis = environment["MOTO_AMIS_PATH"].flatMap { $0.isEmpty ? nil : $0 }
        if amis == nil {
            let file = directory.appendingPathComponent("emulator-amis.json")
            try EmulatedImages.json.write(to: file, atomically: true, encoding: .utf8)
            amis = file.path
        }
        moto = try MotoServer(amisPath: amis, directory: directory)
    }

    /// `export NAME=value` lines (shell-quoted) that point the AWS provider, boto3 and labctl at it.
    public var exports: [String] {
        moto.environment().sorted { $0.key < $1.key }.map { "export \($0.key)=\(Self.quoted($0.value))" }
    }

    /// Whether both servers still run.
    public var isRunning: Bool { moto.isRunning }

    public func stop() { moto.stop() }

    static func quoted(_ value: String) -> String {
        value.allSatisfy { $0.isLetter || $0.isNumber || "/:._-".contains($0) } ? value : "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

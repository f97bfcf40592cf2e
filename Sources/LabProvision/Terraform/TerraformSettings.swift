import Foundation
import LabCore

/// Where Terraform is and how it is called. Endpoints and credentials are
/// never set here: the AWS provider reads them from the environment
/// (`AWS_ENDPOINT_URL` points it at an emulator in tests and rehearsals).
public struct TerraformSettings: Sendable {
    public var executable: String
    /// `terraform init -plugin-dir` (offline provider mirror); nil uses the registry.
    public var pluginDirectory: String?
    /// The environment every Terraform child starts from.
    public var environment: [String: String]
    /// How long one resource may stay "Still creating…" (modifying, destroying) before
    /// Terraform is stopped and the run fails naming the resource's API: an API that never
    /// answers as the provider expects (an emulator lacking a call) otherwise hangs a class.
    public var resourceTimeout: TimeInterval

    /// Creating an instance takes a minute or two on EC2; deleting a security group waits for its
    /// instances' interfaces, which the provider retries for up to 15 minutes.
    public static let defaultResourceTimeout: TimeInterval = 20 * 60

    public init(executable: String = "terraform", pluginDirectory: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                resourceTimeout: TimeInterval = TerraformSettings.defaultResourceTimeout) {
        self.executable = executable
        self.pluginDirectory = pluginDirectory
        self.environment = environment
        self.resourceTimeout = resourceTimeout
    }

    /// From `LABCTL_TERRAFORM`, `LABCTL_TF_PLUGIN_DIR` and `LABCTL_RESOURCE_TIMEOUT` (`20m`, `90s`;
    /// an unreadable value keeps the default).
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> TerraformSettings {
        TerraformSettings(executable: env["LABCTL_TERRAFORM"] ?? "terraform",
                          pluginDirectory: env["LABCTL_TF_PLUGIN_DIR"].flatMap { $0.isEmpty ? nil : $0 },
                          environment: env,
                          resourceTimeout: env["LABCTL_RESOURCE_TIMEOUT"].flatMap(LifetimeDuration.parse).flatMap { $0 > 0 ? $0 : nil }
                              ?? defaultResourceTimeout)
    }

    /// The child environment for one session: its own workspace, no prompts, no colour codes in logs.
    public func environment(workspace: String?) -> [String: String] {
        var env = environment
        env.removeValue(forKey: "TF_WORKSPACE")
        if let workspace { env["TF_WORKSPACE"] = workspace }
        env["TF_IN_AUTOMATION"] = "1"
        env["TF_INPUT"] = "0"
        env["CHECKPOINT_DISABLE"] = "1"
        return env
    }

    /// Resolves `executable` on PATH.
    public func resolvedExecutable() throws -> String {
        if executable.contains("/") { return executable }
        for dir in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw ProvisionError.terraformMissing(executable)
    }
}

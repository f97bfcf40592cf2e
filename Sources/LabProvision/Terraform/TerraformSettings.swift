import Foundation

/// Where Terraform is and how it is called. Endpoints and credentials are
/// never set here: the AWS provider reads them from the environment
/// (`AWS_ENDPOINT_URL` points it at an emulator in tests and rehearsals).
public struct TerraformSettings: Sendable {
    public var executable: String
    /// `terraform init -plugin-dir` (offline provider mirror); nil uses the registry.
    public var pluginDirectory: String?
    /// The environment every Terraform child starts from.
    public var environment: [String: String]

    public init(executable: String = "terraform", pluginDirectory: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.executable = executable
        self.pluginDirectory = pluginDirectory
        self.environment = environment
    }

    /// From `LABCTL_TERRAFORM` and `LABCTL_TF_PLUGIN_DIR`.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> TerraformSettings {
        TerraformSettings(executable: env["LABCTL_TERRAFORM"] ?? "terraform",
                          pluginDirectory: env["LABCTL_TF_PLUGIN_DIR"].flatMap { $0.isEmpty ? nil : $0 },
                          environment: env)
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

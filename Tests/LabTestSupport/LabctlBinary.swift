import Foundation

/// The built `labctl` executable, next to the test bundle (or `$LABCTL_BIN`).
public enum LabctlBinary {
    public static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["LABCTL_BIN"] { return explicit }
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundleDir, bundleDir.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("labctl").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        for b in Bundle.allBundles {
            let path = b.bundleURL.deletingLastPathComponent().appendingPathComponent("labctl").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return bundleDir.appendingPathComponent("labctl").path
    }

    /// Runs labctl with a clean environment: only what a user's shell would carry, plus `env`.
    @discardableResult
    public static func run(_ arguments: [String], env: [String: String] = [:], input: Data? = nil, directory: URL? = nil) throws -> Shell.Output {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LABCTL_") || $0.key == "LABCTL_TF_PLUGIN_DIR" }
        environment["NO_COLOR"] = "1"
        for (k, v) in env { environment[k] = v }
        return try Shell.run(path, arguments, input: input, environment: environment, directory: directory)
    }
}

import Foundation

/// Runs the helper scripts of `Tests/tools/` with Debian's Python, which has
/// python3-aiosmtpd (scripts/setup.sh installs it).
public enum Python {
    public static var executable: String {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
    }

    /// Runs `Tests/tools/<script>` and parses its standard output as JSON.
    public static func json(_ script: String, _ arguments: [String]) throws -> Any {
        let r = try Shell.run(executable, [RepositoryPaths.tool(script).path] + arguments)
        guard r.status == 0 else { throw TestSupportError("\(script) failed (\(r.status)): \(r.stderr)") }
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
    }
}

import Foundation
import LabCore
import LabTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Debian's nginx (`scripts/setup.sh` installs it) in front of a `labctl serve` on loopback:
/// run as the test's user with its own prefix, configuration, pid file and logs in a
/// temporary directory, in the foreground, listening on a free 127.0.0.1 port and
/// connecting upstream from `bindAddress`. The `location /` block is docs/proxy.md's, so
/// the documented block is the tested one. `stop()` ends it; `deinit` kills it if a test forgot.
final class NginxProxy {
    let port: Int
    let directory: TemporaryDirectory
    private let process: ChildProcess

    /// Starts nginx proxying to 127.0.0.1:`upstreamPort`, waits until it accepts connections.
    init(upstreamPort: Int, bindAddress: String) throws {
        let binary = try ["/usr/sbin/nginx", "/usr/local/sbin/nginx"].first(where: FileManager.default.isExecutableFile)
            ?? Shell.which("nginx")
        directory = try TemporaryDirectory("nginx")
        let location = try Self.documentedLocation().replacingOccurrences(of: "http://127.0.0.1:8080", with: "http://127.0.0.1:\(upstreamPort)")
        var started: (ChildProcess, Int)?
        var lastError = ""
        // The free port is found by binding and closing; another process may take it meanwhile: try again.
        for _ in 0..<3 where started == nil {
            let port = try FreePort.find()
            try directory.write("nginx.conf", Self.configuration(port: port, location: location, bindAddress: bindAddress, root: directory.path))
            let process = try ChildProcess(binary, ["-p", directory.path, "-c", directory.file("nginx.conf").path, "-e", directory.file("error.log").path,
                                                    "-g", "daemon off;"],
                                           output: .capture, error: .capture, registry: nil)
            if Self.waitUntilListening(port: port, process: process) {
                started = (process, port)
            } else {
                process.stop()
                lastError = (try? String(contentsOf: directory.file("error.log"), encoding: .utf8)) ?? process.stderr
            }
        }
        guard let started else {
            directory.remove()
            throw TestSupportError("nginx did not start: \(lastError). Is it installed? Run scripts/setup.sh.")
        }
        (process, port) = started
    }

    deinit {
        if process.isRunning { process.stop(grace: 2) }
        directory.remove()
    }

    /// Stops nginx (SIGTERM to its process group: master and worker).
    func stop() {
        process.stop(grace: 5)
    }

    /// What nginx wrote to its error log (for failure messages).
    var errorLog: String { (try? String(contentsOf: directory.file("error.log"), encoding: .utf8)) ?? "" }

    /// The `location / { … }` block of docs/proxy.md's nginx example.
    static func documentedLocation() throws -> String {
        let doc = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("docs/proxy.md"), encoding: .utf8)
        guard let fence = doc.range(of: "```nginx\n"), let start = doc.range(of: "    location / {", range: fence.upperBound..<doc.endIndex),
              let end = doc.range(of: "\n    }\n", range: start.upperBound..<doc.endIndex) else {
            throw TestSupportError("docs/proxy.md has no ```nginx block with a `location / {` … `}` in it")
        }
        return String(doc[start.lowerBound..<end.upperBound])
    }

    static func configuration(port: Int, location: String, bindAddress: String, root: String) -> String {
        // As root, nginx's workers would switch to nobody, who cannot write the temporary directory.
        let user = getuid() == 0 ? "user root;\n" : ""
        return """
            \(user)worker_processes 1;
            pid \(root)/nginx.pid;
            error_log \(root)/error.log warn;
            events { worker_connections 1000; }
            http {
                access_log \(root)/access.log;
                client_body_temp_path \(root)/client_body;
                proxy_temp_path \(root)/proxy;
                fastcgi_temp_path \(root)/fastcgi;
                uwsgi_temp_path \(root)/uwsgi;
                scgi_temp_path \(root)/scgi;
                server {
                    listen 127.0.0.1:\(port);
                    # The connections to labctl come from this address, the one it trusts.
                    proxy_bind \(bindAddress);
            \(location)
                }
            }

            """
    }

    /// Whether nginx accepts connections on `port` within 10 s (false once it has exited).
    private static func waitUntilListening(port: Int, process: ChildProcess) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, process.isRunning {
            if (try? RawSocket(from: "127.0.0.1", to: port)) != nil { return true }
            usleep(50_000)
        }
        return false
    }
}

import Foundation
import LabCore

/// A real SMTP server for a test: `Tests/tools/smtp-sink.py` (aiosmtpd) on a free
/// 127.0.0.1 port. Started by the test, stopped by `stop()`; nothing outlives the test.
public final class SMTPSink {
    public struct Received: Equatable {
        public let mailFrom: String
        public let recipients: [String]
        public let data: String
    }

    /// How the sink encrypts: STARTTLS offered and required (before MAIL and AUTH), or TLS
    /// from the first byte; either with this certificate chain and key (PEM files).
    public enum TLS {
        case startTLS(certificate: String, key: String)
        case smtps(certificate: String, key: String)
    }

    public let port: Int
    public let directory: TemporaryDirectory
    private let process: ChildProcess

    /// Starts the sink and returns once it accepts connections (it says so on stdout).
    /// `reject`: recipients refused with 550. `user`/`password`: require nothing, but
    /// accept AUTH with these (required with `tls`); `excludeAuth`: mechanisms not to offer.
    public init(reject: [String] = [], user: String? = nil, password: String? = nil, excludeAuth: [String] = [],
                tls: TLS? = nil) throws {
        directory = try TemporaryDirectory("smtp-sink")
        var arguments = [RepositoryPaths.tool("smtp-sink.py").path, directory.path]
        for r in reject { arguments += ["--reject", r] }
        if let user { arguments += ["--user", user, "--password", password ?? ""] }
        for m in excludeAuth { arguments += ["--exclude-auth", m] }
        switch tls {
        case .startTLS(let certificate, let key)?: arguments += ["--starttls", "--tls-cert", certificate, "--tls-key", key]
        case .smtps(let certificate, let key)?: arguments += ["--smtps", "--tls-cert", certificate, "--tls-key", key]
        case nil: break
        }
        process = try ChildProcess(Python.executable, arguments, input: .pipe, output: .capture, error: .inherit, registry: nil)
        // The first line is READY <port>, written once the server listens.
        let said = process.waitForOutput(timeout: 60) { text in text.firstIndex(of: "\n").map { String(text[..<$0]) } } ?? process.stdout
        guard said.hasPrefix("READY "), let port = Int(said.dropFirst(6)) else {
            process.stop()
            throw TestSupportError("smtp-sink.py did not start (said '\(said)'); is python3-aiosmtpd installed? Run scripts/setup.sh.")
        }
        self.port = port
    }

    public var endpoint: String { "127.0.0.1:\(port)" }

    /// The messages accepted so far, in order.
    public func received() throws -> [Received] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") }
            .sorted { Int($0.dropLast(5))! < Int($1.dropLast(5))! }
        return try files.map { file in
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.file(file))) as! [String: Any]
            return Received(mailFrom: object["mail_from"] as! String, recipients: object["rcpt_tos"] as! [String],
                            data: object["data"] as! String)
        }
    }

    /// `auth.log`: one `<mechanism> <login> ok|failed` line per login attempt, `… (TLS)` when encrypted.
    public func authLog() -> [String] {
        ((try? String(contentsOf: directory.file("auth.log"), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Closes the sink's stdin (it exits), waits for it and removes its folder.
    public func stop() {
        process.closeInput()
        process.waitUntilExit()
        directory.remove()
    }

    deinit { process.stop() }
}

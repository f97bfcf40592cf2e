import ArgumentParser
import Foundation
import LabSheets

/// Where and how mail goes (`sheets --send`, `rebuild --send`): the server, its TLS and the login.
struct SMTPOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The SMTP server for --send (HOST alone with --starttls or --smtps: port 587 or 465).",
                               valueName: "host:port")) var smtp: String?
    @Flag(help: "Encrypt with STARTTLS (port 587 by default); refused if the server does not offer it.") var starttls = false
    @Flag(help: "Encrypt from the first byte, implicit TLS (port 465 by default).") var smtps = false
    @Option(help: ArgumentHelp("With --starttls/--smtps: trust the CA certificates in this PEM file instead of the system's trust store.",
                               valueName: "file")) var caFile: String?
    @Option(help: ArgumentHelp("SMTP login (AUTH PLAIN or LOGIN; only over --starttls/--smtps or to a relay on this machine).",
                               valueName: "user")) var user: String?
    @Option(help: ArgumentHelp("File holding the SMTP password (never give it on the command line).", valueName: "path"))
    var passwordFile: String?

    /// The flags, for "go with --send".
    static let names = "--smtp, --starttls, --smtps, --ca-file, --user, --password-file"

    var isGiven: Bool { smtp != nil || starttls || smtps || caFile != nil || user != nil || passwordFile != nil }

    /// --starttls or --smtps, if either.
    var tlsMode: SMTPTLS.Mode? { starttls ? .startTLS : smtps ? .implicit : nil }

    func validate() throws {
        if starttls && smtps { throw ValidationError("--starttls and --smtps exclude each other: STARTTLS on port 587, or TLS from the start on 465.") }
        if caFile != nil && tlsMode == nil { throw ValidationError("--ca-file goes with --starttls or --smtps.") }
        if let smtp, (try? SMTPEndpoint(parsing: smtp, defaultPort: tlsMode?.defaultPort)) == nil {
            throw ValidationError(SMTPError.badEndpoint(smtp).description)
        }
        if (user == nil) != (passwordFile == nil) { throw ValidationError("--user and --password-file go together.") }
    }

    /// `--smtp HOST:PORT (mode)` for messages: where the mails would go.
    var route: String {
        guard let smtp else { return "(no --smtp)" }
        let endpoint = (try? SMTPEndpoint(parsing: smtp, defaultPort: tlsMode?.defaultPort))?.description ?? smtp
        return endpoint + (tlsMode.map { " (\($0.rawValue))" } ?? "")
    }

    /// These options as arguments again, for a command that hands over to `sheets`.
    var arguments: [String] {
        (smtp.map { ["--smtp", $0] } ?? []) + (starttls ? ["--starttls"] : []) + (smtps ? ["--smtps"] : [])
            + (caFile.map { ["--ca-file", $0] } ?? []) + (user.map { ["--user", $0] } ?? [])
            + (passwordFile.map { ["--password-file", $0] } ?? [])
    }

    /// The client for `--smtp`, its TLS and the login; refuses a password in clear to a server
    /// off this machine, and a CA file that holds no certificate, before anything is written.
    func makeClient() throws -> SMTPClient {
        guard let smtp else { throw LabFailure.usage("--send needs --smtp HOST:PORT (the server to hand the mails to).") }
        do {
            let tls = try tlsMode.map { mode throws(SMTPError) in try SMTPTLS(mode: mode, caFile: caFile) }
            return try SMTPClient(endpoint: try SMTPEndpoint(parsing: smtp, defaultPort: tlsMode?.defaultPort), tls: tls,
                                  credentials: try credentials())
        } catch let e as SMTPError {
            throw LabFailure.usage(e.description)
        }
    }

    /// The login, with the password read from its file (one trailing line break dropped).
    func credentials() throws -> SMTPCredentials? {
        guard let user, let passwordFile else { return nil }
        guard let data = FileManager.default.contents(atPath: passwordFile), var password = String(data: data, encoding: .utf8) else {
            throw LabFailure.usage("cannot read the password file \(passwordFile); create it with the password on one line (chmod 600).")
        }
        if password.hasSuffix("\n") { password.removeLast() }
        if password.hasSuffix("\r") { password.removeLast() }
        if let mode = (try? FileManager.default.attributesOfItem(atPath: passwordFile))?[.posixPermissions] as? NSNumber,
           mode.intValue & 0o077 != 0 {
            Terminal.warning("\(passwordFile) is readable by others (mode \(String(mode.intValue & 0o777, radix: 8))); chmod 600 \(passwordFile)")
        }
        return SMTPCredentials(user: user, password: password)
    }
}

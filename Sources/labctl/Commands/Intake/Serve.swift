import ArgumentParser
import Foundation
import LabServer
import LabStore
import LabWorkflows
import Logging
import ServiceLifecycle

/// `labctl serve`: the intake web service and the trainer dashboard.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve key intake over HTTP(S): participants join with a link, trainers use the /admin dashboard.",
        discussion: """
        Serves the lab's SQLite registry; prints the dashboard address, the
        admin token (generated on the first start and stored hashed: it is
        shown only then) and the join links of open sessions.
          labctl serve                                   # http://127.0.0.1:8080
          LABCTL_ADMIN_TOKEN=… labctl serve --host 0.0.0.0 --public-url https://lab.example.org
          labctl serve --tls-cert fullchain.pem --tls-key privkey.pem  # https://…
          labctl open session-1                          # prints the join link
        For real classes serve HTTPS: its own certificate (--tls-cert, --tls-key;
        renewed files are read again on SIGHUP: `kill -HUP <pid>`, no restart),
        or behind a TLS proxy with an https --public-url and --trusted-proxy <the
        proxy's address> (docs/proxy.md: then limits count each participant, not
        the proxy). Either way links are https, cookies Secure and HSTS is sent.

        SIGTERM or Ctrl-C stops it after the requests in flight; a client still
        sending is cut off by the head and body timeouts. A key that arrives for
        a session already applied gets the session's next ready spare cluster in
        the background (`labctl assign`); with none left, the participant waits
        for the next apply. A key replaced on /me after apply is pushed to the
        participant's nodes over SSH. LOG_LEVEL=debug logs one line per request
        (route patterns only, never codes or tokens).
        """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Address to listen on. Default: $LABCTL_HOST, else 127.0.0.1.", valueName: "host")) var host: String?
    @Option(help: ArgumentHelp("Port to listen on (0: any free one). Default: $LABCTL_PORT, else 8080.", valueName: "port")) var port: Int?
    @Option(name: .customLong("public-url"), help: ArgumentHelp("The address participants use, for links. Default: $LABCTL_PUBLIC_URL, else http://host:port.", valueName: "url"))
    var publicURL: String?
    @Option(name: .customLong("submissions-per-minute"), help: ArgumentHelp("Refused requests (bad codes, refused keys, malformed forms) per client address per minute, and burst; accepted submissions do not count, so a room behind one NAT address can join. Default: $LABCTL_SUBMISSIONS_PER_MINUTE, else 60.", valueName: "n"))
    var submissionsPerMinute: Int?
    @Option(name: .customLong("session-submissions-per-minute"), help: ArgumentHelp("Submissions per session per minute from all addresses, and burst. Default: $LABCTL_SESSION_SUBMISSIONS_PER_MINUTE, else 1200.", valueName: "n"))
    var sessionSubmissionsPerMinute: Int?
    @Flag(name: .customLong("new-admin-token"), help: "Generate a new admin token (the old one and its logins stop working).")
    var newAdminToken = false
    @Option(name: .customLong("reap-every"), help: ArgumentHelp("Also run `labctl reap -y` on this schedule (e.g. 15m): destroys sessions past their end + grace.", valueName: "duration"))
    var reapEvery: DurationArgument?
    @Option(name: .customLong("spare-inventory"), help: ArgumentHelp("Rehearsals: the spares' addresses for late joiners (and participants' nodes for keys replaced on /me after apply), as `labctl assign --inventory` takes them.", valueName: "file"))
    var spareInventory: String?
    @Option(name: .customLong("spare-user"), help: ArgumentHelp("Login user on the spares' and participants' nodes (default ubuntu).", valueName: "user"))
    var spareUser = "ubuntu"
    @OptionGroup(title: "HTTPS") var tls: ServeTLSOptions
    @OptionGroup(title: "Behind a proxy") var proxy: ServeProxyOptions
    @OptionGroup(title: "Slow clients") var connections: ServeConnectionOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let lab = global.lab
        let address = try IntakeAddress(host: host, port: port, publicURL: publicURL)
        var settings = address.settings
        settings.labRoot = lab.root
        if let n = try Self.positive(submissionsPerMinute, "--submissions-per-minute", "LABCTL_SUBMISSIONS_PER_MINUTE", environment) {
            settings.submissionsPerMinute = n
        }
        if let n = try Self.positive(sessionSubmissionsPerMinute, "--session-submissions-per-minute", "LABCTL_SESSION_SUBMISSIONS_PER_MINUTE", environment) {
            settings.sessionSubmissionsPerMinute = n
        }
        // Every connection is a descriptor: take all the system allows (often 1,024 by default).
        let openFiles = OpenFileLimit.raiseToHardLimit()
        try connections.apply(to: &settings, openFiles: openFiles, environment: environment)
        settings.certificate = try tls.load(environment: environment)
        if settings.certificate != nil, let url = settings.publicURL, url.lowercased().hasPrefix("http://") {
            throw LabFailure.usage("public URL '\(url)' is http:// but serve has a TLS certificate: participants would get http links. Give --public-url https://… (or LABCTL_PUBLIC_URL).")
        }
        settings.trustedProxies = try proxy.trusted(environment: environment)
        let context = try lab.openContext()
        let registry = context.registry
        let admin: AdminToken.Resolution
        do {
            admin = try AdminToken.resolve(registry: registry, environmentToken: environment["LABCTL_ADMIN_TOKEN"], renew: newAdminToken)
        } catch let error as AdminToken.ResolutionError {
            throw LabFailure.usage(error.description)
        }
        let tokenNote = try Self.announce(admin, lab: lab)

        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
            return handler
        }
        let logger = Logger(label: "labctl.serve")
        var dependencies = IntakeServer.Dependencies(registry: registry, settings: settings, adminTokenDigest: admin.digest)
        // A key for an applied session: the next ready spare, in the background (issue 14).
        let spareAddresses = try self.spareInventory.map(VerifyInventory.load)
        let lateJoiners = LateJoiners(context, inventory: spareAddresses, user: spareUser) {
            FileHandle.standardError.writeBestEffort(Data(($0 + "\n").utf8))
        }
        dependencies.lateJoiners = lateJoiners
        let openSessions = try registry.intakes().filter(\.isOpen)
        let databaseShown = lab.display(URL(fileURLWithPath: lab.databasePath))
        let shownHost = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
        let connectionsLine = ServeConnectionOptions.summary(settings, openFiles: openFiles)
        let proxyLine = ServeProxyOptions.summary(settings.trustedProxies)
        let certificate = settings.certificate
        let scheme = certificate == nil ? "http" : "https"
        let app = IntakeServer.application(dependencies, logger: logger) { port, base in
            var lines = ["labctl intake is serving on \(scheme)://\(shownHost):\(port)",
                         "  database:  \(databaseShown)",
                         "  dashboard: \(base)/admin",
                         "  \(connectionsLine)",
                         "  \(proxyLine)",
                         "  \(tokenNote)"]
            if let certificate {
                lines.insert("  tls:       \(certificate.summary); after renewing the files: kill -HUP \(getpid())", at: 3)
            }
            if openSessions.isEmpty {
                lines.append("  no session takes submissions yet: `labctl open <session>` prints its join link")
            }
            for intake in openSessions { lines.append("  \(intake.session): \(base)/join/\(intake.code)") }
            lines.append("Stop with Ctrl-C or SIGTERM (requests in flight finish first).")
            FileHandle.standardOutput.writeBestEffort(Data((lines.joined(separator: "\n") + "\n").utf8))
            // `labctl open` in this lab then prints links to this service, wherever it listens.
            try? RunningIntake(baseURL: base).record(database: lab.databasePath)
        }
        defer { RunningIntake.clear(database: lab.databasePath) }
        // A renewed certificate is read on SIGHUP; a bad one leaves the old one served and says why.
        let hangup = certificate?.reloadOnHangup { outcome in
            switch outcome {
            case .success(let summary):
                FileHandle.standardOutput.writeBestEffort(Data("TLS certificate reloaded: now serving \(summary)\n".utf8))
            case .failure(let error):
                let kept = certificate?.summary ?? ""
                FileHandle.standardError.writeBestEffort(Data("error: TLS certificate not reloaded, still serving \(kept): \(error)\n".utf8))
            }
        }
        defer { hangup?.cancel() }
        // One group, one graceful shutdown on SIGTERM/SIGINT. It stops the services last
        // to first: the HTTP server (requests in flight finish), then the reaper (no new
        // Terraform run), then the late joiners' queued assignments.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: LateJoinerService(joiners: lateJoiners))]
        if let reapEvery { services.append(.init(service: ServeReaper.service(every: reapEvery.seconds, context: context))) }
        services.append(.init(service: app))
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            // Binding is what fails in practice (address in use, no permission, unknown host).
            throw LabFailure.usage("cannot serve on \(settings.host):\(settings.port): \(error). Choose another --port (or LABCTL_PORT) or --host, or stop what uses it.")
        }
        FileHandle.standardOutput.writeBestEffort(Data("labctl intake stopped\n".utf8))
    }

    /// The admin token line. A generated token is shown on a terminal; when
    /// stdout is not a terminal (a log), it goes to a 0600 file instead.
    static func announce(_ admin: AdminToken.Resolution, lab: Lab) throws -> String {
        switch admin.source {
        case .environment:
            return "admin token: LABCTL_ADMIN_TOKEN"
        case .stored:
            return "admin token: the one shown on the first start (lost? restart with --new-admin-token)"
        case .generated:
            let token = admin.generated!.value
            if isatty(STDOUT_FILENO) == 1 {
                return "admin token (shown only now, stored hashed): \(token)"
            }
            let file = URL(fileURLWithPath: lab.databasePath).deletingLastPathComponent().appendingPathComponent("admin-token")
            try? FileManager.default.removeItem(at: file)
            guard FileManager.default.createFile(atPath: file.path, contents: Data((token + "\n").utf8),
                                                 attributes: [.posixPermissions: 0o600]) else {
                throw LabFailure.usage("cannot write \(file.path); set LABCTL_ADMIN_TOKEN instead.")
            }
            return "admin token: written to \(lab.display(file)) (mode 0600, not printed because stdout is not a terminal); read it, then delete the file"
        }
    }

    static func integer(_ name: String, _ environment: [String: String]) throws -> Int? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        guard let value = Int(text) else { throw LabFailure.usage("\(name) '\(text)' is not a whole number.") }
        return value
    }

    /// A count from its option, else its environment variable; at least 1 (nil: neither given).
    static func positive(_ option: Int?, _ flag: String, _ name: String, _ environment: [String: String]) throws -> Int? {
        guard let n = try option ?? integer(name, environment) else { return nil }
        guard n > 0 else { throw LabFailure.usage("\(flag) must be at least 1.") }
        return n
    }
}

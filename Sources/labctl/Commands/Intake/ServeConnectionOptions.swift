import ArgumentParser
import Foundation
import LabServer

/// `labctl serve`'s defences against slow and idle clients (issue 23, item 3): the
/// per-request deadlines and the connection caps, each also an environment variable.
struct ServeConnectionOptions: ParsableArguments {
    @Option(name: .customLong("header-timeout"), help: ArgumentHelp("Time a client has to send a request's head (10s, 1m). Default: $LABCTL_HEADER_TIMEOUT, else 10s.", valueName: "duration"))
    var headerTimeout: DurationArgument?
    @Option(name: .customLong("body-timeout"), help: ArgumentHelp("Time a client has to send a request's body after its head. Default: $LABCTL_BODY_TIMEOUT, else 30s.", valueName: "duration"))
    var bodyTimeout: DurationArgument?
    @Option(name: .customLong("keep-alive-timeout"), help: ArgumentHelp("Time an open connection may wait for its next request. Default: $LABCTL_KEEP_ALIVE_TIMEOUT, else 60s.", valueName: "duration"))
    var keepAliveTimeout: DurationArgument?
    @Option(name: .customLong("max-connections"), help: ArgumentHelp("Open connections in total; more are closed at once. Default: $LABCTL_MAX_CONNECTIONS, else 4096 or the open-file limit less 256.", valueName: "n"))
    var maxConnections: Int?
    @Option(name: .customLong("max-connections-per-address"), help: ArgumentHelp("Open connections from one client address. Default: $LABCTL_MAX_CONNECTIONS_PER_ADDRESS, else 1024.", valueName: "n"))
    var maxConnectionsPerAddress: Int?

    /// Puts the chosen values into `settings`; `openFiles` is the process's open-file limit.
    func apply(to settings: inout IntakeSettings, openFiles: Int, environment: [String: String]) throws {
        if let t = try headerTimeout ?? Self.duration("LABCTL_HEADER_TIMEOUT", environment) { settings.headerTimeout = t.seconds }
        if let t = try bodyTimeout ?? Self.duration("LABCTL_BODY_TIMEOUT", environment) { settings.bodyTimeout = t.seconds }
        if let t = try keepAliveTimeout ?? Self.duration("LABCTL_KEEP_ALIVE_TIMEOUT", environment) { settings.keepAliveTimeout = t.seconds }
        settings.maxConnections = OpenFileLimit.connectionCap(openFiles: openFiles)
        if let n = try Serve.positive(maxConnections, "--max-connections", "LABCTL_MAX_CONNECTIONS", environment) {
            settings.maxConnections = n
        }
        if let n = try Serve.positive(maxConnectionsPerAddress, "--max-connections-per-address", "LABCTL_MAX_CONNECTIONS_PER_ADDRESS", environment) {
            settings.maxConnectionsPerAddress = n
        }
    }

    /// The startup line that says what slow clients and floods of connections meet.
    static func summary(_ settings: IntakeSettings, openFiles: Int) -> String {
        "connections: at most \(settings.maxConnections), \(settings.maxConnectionsPerAddress) per address (open-file limit \(openFiles)); "
            + "timeouts: head \(DurationArgument.format(settings.headerTimeout)), body \(DurationArgument.format(settings.bodyTimeout)), "
            + "keep-alive \(DurationArgument.format(settings.keepAliveTimeout))"
    }

    static func duration(_ name: String, _ environment: [String: String]) throws -> DurationArgument? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        guard let value = DurationArgument(argument: text) else {
            throw LabFailure.usage("\(name) '\(text)' is not a duration: write seconds or e.g. 10s, 1m.")
        }
        return value
    }
}

import Foundation

/// How `labctl serve` runs the intake service.
public struct IntakeSettings: Sendable {
    public var host: String
    public var port: Int
    /// The address participants and trainers use, for links (`https://lab.example.org`).
    /// Default: `http://host:port` (`https://` with a certificate). An `https` URL also makes
    /// cookies `Secure` and adds HSTS.
    public var publicURL: String?
    /// Serve HTTPS with this certificate (`--tls-cert`, `--tls-key`); nil: plain HTTP.
    public var certificate: ServingCertificate?
    /// Per-client refused requests per minute (failed submissions, unknown codes or
    /// tokens); also the burst. Accepted submissions do not count: a room shares one address.
    public var submissionsPerMinute: Int
    /// Per-session submissions per minute, whatever their address; also the burst.
    public var sessionSubmissionsPerMinute: Int
    /// Per-client dashboard login attempts per minute.
    public var loginAttemptsPerMinute: Int
    /// How long a dashboard login lasts.
    public var loginLifetime: TimeInterval
    /// The lab directory, for "write participants/<s>/*.pub" on the dashboard.
    public var labRoot: URL?
    /// Seconds a client has to send a request's head: from connecting, or on a
    /// kept-alive connection from the first byte of the next request.
    public var headerTimeout: TimeInterval = 10
    /// Seconds a client has to send a request's body, from the end of its head
    /// (a submission is at most 16 KiB).
    public var bodyTimeout: TimeInterval = 30
    /// Seconds a kept-alive connection may wait for its next request.
    public var keepAliveTimeout: TimeInterval = 60
    /// Open connections from one client address: a conference room of 300 behind one NAT
    /// address, each with a few browser connections, fits (EventScaleTests: 300 at once);
    /// one hostile address still gets only a quarter of the default total.
    public var maxConnectionsPerAddress = 1_024
    /// Open connections in total (`labctl serve` derives it from the open-file limit).
    public var maxConnections = 4_096
    /// The proxies in front (`--trusted-proxy`): only from these peers are the client's
    /// address, scheme and host taken from the forwarding headers; their connections
    /// count only against `maxConnections`.
    public var trustedProxies = TrustedProxies.none

    public init(host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil,
                submissionsPerMinute: Int = 60, sessionSubmissionsPerMinute: Int = 1_200, loginAttemptsPerMinute: Int = 10,
                loginLifetime: TimeInterval = 12 * 3600, labRoot: URL? = nil) {
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.submissionsPerMinute = submissionsPerMinute
        self.sessionSubmissionsPerMinute = sessionSubmissionsPerMinute
        self.loginAttemptsPerMinute = loginAttemptsPerMinute
        self.loginLifetime = loginLifetime
        self.labRoot = labRoot
    }

    /// The base URL for links, without a trailing slash.
    public func baseURL(boundPort: Int? = nil) -> String {
        if let publicURL, !publicURL.isEmpty {
            return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(certificate == nil ? "http" : "https")://\(shownHost):\(boundPort ?? port)"
    }

    /// Served to the public over TLS (its own certificate, or a proxy's): cookies get `Secure`, HSTS is sent.
    public var isTLS: Bool { certificate != nil || (publicURL?.lowercased().hasPrefix("https://") ?? false) }
}

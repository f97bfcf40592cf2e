#if canImport(Glibc)
import Glibc
#endif

/// Where mail goes: `HOST:PORT` (`[::1]:25` for IPv6 literals); `HOST` alone only where
/// the TLS mode implies the port (587 for STARTTLS, 465 for implicit TLS).
public struct SMTPEndpoint: Equatable, Sendable, CustomStringConvertible {
    public let host: String
    public let port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    public init(parsing text: String, defaultPort: UInt16? = nil) throws(SMTPError) {
        let hostPart: Substring
        let portPart: Substring?
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if rest.isEmpty && defaultPort != nil {
                portPart = nil
            } else {
                guard rest.hasPrefix(":") else { throw .badEndpoint(text) }
                portPart = rest.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        } else {
            guard defaultPort != nil else { throw .badEndpoint(text) }
            hostPart = text[...]
            portPart = nil
        }
        guard !hostPart.isEmpty, !hostPart.contains(where: { $0.isWhitespace }),
              let port = portPart.map({ UInt16($0) }) ?? defaultPort, port > 0 else {
            throw .badEndpoint(text)
        }
        self.init(host: String(hostPart), port: port)
    }

    /// True for `localhost`, 127.0.0.0/8 and `::1`: a relay on this machine, where the
    /// password does not cross a network unencrypted.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.split(separator: ".").first == "127" && host.split(separator: ".").count == 4
    }

    /// The name for SNI and the certificate check; nil for an IP address (SNI carries no
    /// addresses: NIOSSL then checks the certificate against the connected address).
    var tlsServerName: String? {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1 ? nil : host
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

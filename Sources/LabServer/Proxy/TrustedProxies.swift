/// The peers whose forwarding headers are believed (`--trusted-proxy`,
/// `LABCTL_TRUSTED_PROXIES`): the address ranges of the proxies in front of
/// `labctl serve`. Empty (the default): every request's client is its socket peer
/// and `X-Forwarded-*`/`Forwarded` are ignored.
public struct TrustedProxies: Sendable, CustomStringConvertible {
    public let networks: [IPNetwork]

    public static let none = TrustedProxies(networks: [])

    public init(networks: [IPNetwork]) { self.networks = networks }

    /// Parses each range (`127.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`).
    public init(parsing texts: [String]) throws(InvalidRange) {
        var networks: [IPNetwork] = []
        for text in texts {
            guard let network = IPNetwork(text) else { throw InvalidRange(text: text) }
            if !networks.contains(network) { networks.append(network) }
        }
        self.networks = networks
    }

    public var isEmpty: Bool { networks.isEmpty }

    public func contains(_ address: IPAddress) -> Bool {
        networks.contains { $0.contains(address) }
    }

    /// Whether the peer spelled `text` (as NIO reports it) is a trusted proxy.
    public func contains(peer text: String?) -> Bool {
        guard !isEmpty, let text, let address = IPAddress(text) else { return false }
        return contains(address)
    }

    public var description: String { networks.map(\.description).joined(separator: ", ") }

    /// A range that does not parse; the message says what to write instead.
    public struct InvalidRange: Error, CustomStringConvertible {
        public let text: String
        public var description: String {
            "'\(text)' is not an address or address range: write an IPv4 or IPv6 address or CIDR range, "
                + "e.g. 127.0.0.1, 10.0.0.0/8, ::1 or fd00::/8"
        }
    }
}

import HTTPTypes

/// Who sent a request and how the client reached the service (issue 23, item 2).
///
/// From a peer outside the trusted proxies, the client is the peer and the forwarding
/// headers are ignored entirely: anyone can write them. From a trusted proxy, the client
/// is the right-most address in `X-Forwarded-For` (else in `Forwarded: for=`) that is not
/// itself a trusted proxy: each proxy appends the address it heard from, so everything
/// left of that was written by the client and proves nothing. A hop that is not an
/// address (`unknown`, an obfuscated name, garbage) ends the search and the request
/// counts as the proxy's own. When every hop is a trusted proxy, the left-most is the client.
///
/// `X-Forwarded-For` wins over `Forwarded` when both are present: nginx, Caddy, HAProxy and
/// AWS load balancers append to it and pass a client's `Forwarded` through untouched.
public struct RequestOrigin: Equatable, Sendable {
    /// The client's address in canonical form, the key of every per-client limit; nil without a socket.
    public var client: String?
    /// Whether the socket peer is a trusted proxy.
    public var viaProxy = false
    /// The scheme (`http`/`https`) and host (`lab.example.org[:port]`) the client used, as a
    /// trusted proxy says (`X-Forwarded-Proto`/`-Host`, else `Forwarded` proto=/host=); nil: not said.
    public var scheme: String?
    public var host: String?

    public init(client: String?, viaProxy: Bool = false, scheme: String? = nil, host: String? = nil) {
        self.client = client
        self.viaProxy = viaProxy
        self.scheme = scheme
        self.host = host
    }

    static func resolve(peer: String?, headers: HTTPFields, trusted: TrustedProxies) -> RequestOrigin {
        let peerKey = peer.map { IPAddress($0)?.description ?? $0 }
        guard trusted.contains(peer: peer) else { return RequestOrigin(client: peerKey) }
        let xff = ForwardedHeaders.xForwardedFor(headers[values: .xForwardedFor])
        let forwarded = ForwardedHeaders.forwarded(headers[values: .forwarded])
        let hops = xff.isEmpty ? forwarded : xff
        var origin = RequestOrigin(client: client(hops, trusted: trusted)?.description ?? peerKey, viaProxy: true)
        origin.scheme = ForwardedHeaders.lastValue(headers[values: .xForwardedProto]).flatMap(ForwardedHeaders.proto)
            ?? forwarded.last { $0.proto != nil }?.proto
        origin.host = ForwardedHeaders.lastValue(headers[values: .xForwardedHost]).flatMap(ForwardedHeaders.host)
            ?? forwarded.last { $0.host != nil }?.host
        return origin
    }

    /// The right-most hop that is not a trusted proxy; nil: none usable (the peer counts).
    private static func client(_ hops: [ForwardedHop], trusted: TrustedProxies) -> IPAddress? {
        for hop in hops.reversed() {
            guard let address = hop.client else { return nil }
            if !trusted.contains(address) { return address }
        }
        return hops.first?.client
    }
}

import HTTPTypes
@testable import LabServer
import NIOCore
import XCTest

/// Reading the forwarding headers (issue 23, item 2): addresses with ports and brackets,
/// RFC 7239 quoting, garbage, and whom to believe.
final class ForwardedHeadersTests: XCTestCase {
    func addresses(_ hops: [ForwardedHop]) -> [String?] { hops.map { $0.client?.description } }

    func testXForwardedForEntriesWithPortsBracketsMappedAddressesAndGarbage() {
        let hops = ForwardedHeaders.xForwardedFor([
            "203.0.113.7, 192.0.2.1:8080 ,[2001:DB8::1]:443,2001:db8:0:0::2",
            " , ::ffff:192.0.2.9, [2001:db8::3], unknown, 1.2.3.4:http, 1.2.3.4:123456, [1.2.3.4], fe80::1%eth0, 1.2.3, 300.1.1.1",
        ])
        XCTAssertEqual(addresses(hops), ["203.0.113.7", "192.0.2.1", "2001:db8::1", "2001:db8::2",
                                         "192.0.2.9", "2001:db8::3", nil, nil, nil, nil, nil, nil, nil])
        XCTAssertEqual(ForwardedHeaders.xForwardedFor([]), [])
        XCTAssertEqual(ForwardedHeaders.xForwardedFor(["", " ,, "]), [])
    }

    func testForwardedElementsQuotingCaseAndParameters() {
        let hops = ForwardedHeaders.forwarded([
            #"for=192.0.2.43, For="[2001:db8:cafe::17]:4711";proto=HTTPS;host="lab.example.org:8443";by=203.0.113.43"#,
            #"for="_gazonk", for=unknown;proto=ftp, for="192.0.2.60:80";host="bad/host", for=198.51.100.1;for=198.51.100.2"#,
            #"proto=https;for="198.51.100.\"3\"", ;, for="a,b";host=x"#,
        ])
        XCTAssertEqual(hops, [
            ForwardedHop(client: IPAddress("192.0.2.43")),
            ForwardedHop(client: IPAddress("2001:db8:cafe::17"), proto: "https", host: "lab.example.org:8443"),
            ForwardedHop(client: nil),                                // an obfuscated name
            ForwardedHop(client: nil),                                // unknown; an unknown scheme is dropped
            ForwardedHop(client: IPAddress("192.0.2.60")),            // a host with a slash is dropped
            ForwardedHop(client: IPAddress("198.51.100.1")),          // a parameter twice: the first counts
            ForwardedHop(client: nil, proto: "https"),                // escaped quotes inside: not an address
            ForwardedHop(client: nil),                                // ";" alone: an element without a for=
            ForwardedHop(client: nil, host: "x"),                     // the comma is inside the quotes: one element
        ])
    }

    func testAQuoteThatNeverClosesDoesNotSwallowWhatTheProxyAppendsOnTheSameLine() {
        let hops = ForwardedHeaders.forwarded([#"for="198.51.100.66, for=203.0.113.9"#])
        XCTAssertEqual(addresses(hops), [nil, "203.0.113.9"])
        XCTAssertEqual(ForwardedHeaders.split(#"a="x,y",b"#, on: ","), [#"a="x,y""#, "b"])
    }

    func testProtoAndHostAreCheckedAndLowerCased() {
        XCTAssertEqual(ForwardedHeaders.proto(" HTTPS "), "https")
        XCTAssertNil(ForwardedHeaders.proto("javascript"))
        XCTAssertEqual(ForwardedHeaders.host("Lab.Example.org:8443"), "lab.example.org:8443")
        XCTAssertEqual(ForwardedHeaders.host("[2001:db8::1]:443"), "[2001:db8::1]:443")
        for bad in ["", "lab.example.org/evil", "a b", "lab\u{0}x", "läb.example.org", String(repeating: "a", count: 256)] {
            XCTAssertNil(ForwardedHeaders.host(Substring(bad)), bad)
        }
        XCTAssertEqual(ForwardedHeaders.lastValue(["https, http", " "]), "http")
    }

    // MARK: Whom to believe

    let proxies = try! TrustedProxies(parsing: ["127.0.0.3", "10.0.0.0/8", "fd00::/8"])

    func resolve(peer: String?, _ fields: [(HTTPField.Name, String)]) -> RequestOrigin {
        var headers = HTTPFields()
        for (name, value) in fields { headers.append(HTTPField(name: name, value: value)) }
        return RequestOrigin.resolve(peer: peer, headers: headers, trusted: proxies)
    }

    func testFromAnUntrustedPeerEveryForwardingHeaderIsIgnored() {
        let origin = resolve(peer: "192.0.2.50", [(.xForwardedFor, "203.0.113.1"), (.forwarded, "for=203.0.113.2;proto=https;host=evil.example"),
                                                  (.xForwardedProto, "https"), (.xForwardedHost, "evil.example")])
        XCTAssertEqual(origin, RequestOrigin(client: "192.0.2.50"))
        XCTAssertEqual(resolve(peer: "::FFFF:192.0.2.50", []).client, "192.0.2.50", "one client, however the socket spells it")
        XCTAssertEqual(resolve(peer: nil, [(.xForwardedFor, "203.0.113.1")]), RequestOrigin(client: nil))
    }

    func testFromATrustedProxyTheRightMostUntrustedHopIsTheClient() {
        // The client wrote 198.51.100.7 itself; nginx appended the address it heard from.
        XCTAssertEqual(resolve(peer: "127.0.0.3", [(.xForwardedFor, "198.51.100.7, 127.1.0.5")]).client, "127.1.0.5")
        // Behind two proxies (a load balancer in 10/8 in front of nginx): skip both.
        XCTAssertEqual(resolve(peer: "127.0.0.3", [(.xForwardedFor, "198.51.100.7"), (.xForwardedFor, "203.0.113.5, 10.1.2.3")]).client,
                       "203.0.113.5")
        XCTAssertEqual(resolve(peer: "::ffff:127.0.0.3", [(.xForwardedFor, "[2001:db8::9]:5000")]).client, "2001:db8::9")
        XCTAssertEqual(resolve(peer: "fd00::1", [(.xForwardedFor, "2001:db8::7, fd12::2")]).client, "2001:db8::7")
        // Every hop a proxy: the left-most.
        XCTAssertEqual(resolve(peer: "127.0.0.3", [(.xForwardedFor, "10.0.0.9, 10.0.0.8")]).client, "10.0.0.9")
        // A hop that is not an address ends the search: the proxy's own request.
        XCTAssertEqual(resolve(peer: "127.0.0.3", [(.xForwardedFor, "203.0.113.5, garbage")]).client, "127.0.0.3")
        XCTAssertEqual(resolve(peer: "127.0.0.3", [(.xForwardedFor, "203.0.113.5, unknown, 10.0.0.1")]).client, "127.0.0.3")
        // No header: the proxy itself.
        XCTAssertEqual(resolve(peer: "127.0.0.3", []), RequestOrigin(client: "127.0.0.3", viaProxy: true))
    }

    func testForwardedIsReadWhenThereIsNoXForwardedForAndLosesWhenThereIs() {
        XCTAssertEqual(resolve(peer: "127.0.0.3", [(.forwarded, #"for=198.51.100.7, for="[2001:db8::5]:80";proto=https;host=lab.example.org"#)]),
                       RequestOrigin(client: "2001:db8::5", viaProxy: true, scheme: "https", host: "lab.example.org"))
        // nginx appends to X-Forwarded-For and passes a client's Forwarded on untouched.
        XCTAssertEqual(resolve(peer: "127.0.0.3", [(.forwarded, "for=203.0.113.66"), (.xForwardedFor, "127.1.0.5")]).client, "127.1.0.5")
        XCTAssertEqual(resolve(peer: "127.0.0.3", [(.forwarded, "for=_hidden")]).client, "127.0.0.3")
    }

    func testSchemeAndHostFromATrustedProxy() {
        let origin = resolve(peer: "127.0.0.3", [(.xForwardedProto, "HTTPS"), (.xForwardedHost, "Lab.Example.org"),
                                                 (.forwarded, "proto=http;host=other.example")])
        XCTAssertEqual(origin.scheme, "https")
        XCTAssertEqual(origin.host, "lab.example.org")
        let fallback = resolve(peer: "127.0.0.3", [(.forwarded, "for=1.2.3.4;proto=https;host=lab.example.org")])
        XCTAssertEqual(fallback.scheme, "https")
        XCTAssertEqual(fallback.host, "lab.example.org")
        let garbage = resolve(peer: "127.0.0.3", [(.xForwardedProto, "gopher"), (.xForwardedHost, "evil.example/x")])
        XCTAssertNil(garbage.scheme)
        XCTAssertNil(garbage.host)
    }

    // MARK: Ranges

    func testRangesInCIDRNotationIPv4AndIPv6() throws {
        let eight = try XCTUnwrap(IPNetwork("10.1.2.3/8"))
        XCTAssertEqual(eight.description, "10.0.0.0/8")
        XCTAssertTrue(eight.contains(IPAddress("10.255.0.1")!))
        XCTAssertFalse(eight.contains(IPAddress("11.0.0.1")!))
        XCTAssertFalse(eight.contains(IPAddress("::ffff:11.0.0.1")!))
        XCTAssertTrue(eight.contains(IPAddress("::ffff:10.0.0.1")!))
        let odd = try XCTUnwrap(IPNetwork("192.168.10.0/23"))
        XCTAssertTrue(odd.contains(IPAddress("192.168.11.255")!))
        XCTAssertFalse(odd.contains(IPAddress("192.168.12.0")!))
        XCTAssertEqual(IPNetwork("127.0.0.1")?.description, "127.0.0.1/32")
        XCTAssertEqual(IPNetwork("::1")?.description, "::1/128")
        let ula = try XCTUnwrap(IPNetwork("fd00::/8"))
        XCTAssertTrue(ula.contains(IPAddress("fdab::1")!))
        XCTAssertFalse(ula.contains(IPAddress("fe80::1")!))
        XCTAssertFalse(ula.contains(IPAddress("10.0.0.1")!))
        XCTAssertEqual(IPNetwork("::ffff:10.0.0.0/104")?.description, "10.0.0.0/8")
        XCTAssertEqual(IPNetwork("0.0.0.0/0")?.contains(IPAddress("203.0.113.1")!), true)
        for bad in ["", "abc", "10.0.0.0/33", "10.0.0/8", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8", "::/129", "10.0.0.0/8/8",
                    "::ffff:10.0.0.0/64", "[::1]", "127.0.0.1:80"] {
            XCTAssertNil(IPNetwork(bad), bad)
        }
    }

    func testABadRangeSaysWhatToWrite() {
        XCTAssertThrowsError(try TrustedProxies(parsing: ["127.0.0.1", "10.0.0.0/33"])) { error in
            XCTAssertEqual("\(error)", "'10.0.0.0/33' is not an address or address range: write an IPv4 or IPv6 address or CIDR range, "
                + "e.g. 127.0.0.1, 10.0.0.0/8, ::1 or fd00::/8")
        }
        XCTAssertEqual(try TrustedProxies(parsing: ["127.0.0.1", "127.0.0.1/32", "::1"]).description, "127.0.0.1/32, ::1/128")
    }

    // MARK: Where they are used

    func testConnectionsFromATrustedProxyAreKeyedForTheTotalOnly() throws {
        let limiter = ConnectionLimiter(perAddress: 1, total: 10, trusted: proxies)
        XCTAssertNil(limiter.key(for: try SocketAddress(ipAddress: "127.0.0.3", port: 1)))
        XCTAssertEqual(limiter.key(for: try SocketAddress(ipAddress: "127.0.0.4", port: 1)), "127.0.0.4")
    }

    func testTheOriginCheckComparesHostsIgnoringCaseAndTheDefaultPort() {
        XCTAssertEqual(FormProtection.schemeAndAuthority("HTTPS://Lab.Example.org:8443/x?y")?.authority, "lab.example.org:8443")
        XCTAssertNil(FormProtection.schemeAndAuthority("null"))
        XCTAssertTrue(FormProtection.sameAuthority("lab.example.org:443", "lab.example.org", scheme: "https"))
        XCTAssertFalse(FormProtection.sameAuthority("lab.example.org:443", "lab.example.org", scheme: "http"))
        XCTAssertFalse(FormProtection.sameAuthority("lab.example.org:8443", "lab.example.org", scheme: "https"))
        XCTAssertEqual(FormProtection(publicURL: "https://Lab.Example.org/").publicAuthority, "lab.example.org")
    }
}

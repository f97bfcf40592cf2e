import ArgumentParser
import Foundation
import LabServer

/// `labctl serve` behind a proxy (issue 23, item 2): the proxies whose forwarding
/// headers are believed, also `LABCTL_TRUSTED_PROXIES` (comma-separated).
struct ServeProxyOptions: ParsableArguments {
    @Option(name: .customLong("trusted-proxy"), help: ArgumentHelp("A proxy in front (address or CIDR range, IPv4 or IPv6; repeatable): from it the client's address comes from X-Forwarded-For (or Forwarded), scheme and host from X-Forwarded-Proto/-Host. Default: $LABCTL_TRUSTED_PROXIES (comma-separated), else none: those headers are ignored.", valueName: "cidr"))
    var trustedProxies: [String] = []

    /// The trusted proxies from the options, else the environment variable.
    func trusted(environment: [String: String]) throws -> TrustedProxies {
        let fromOptions = !trustedProxies.isEmpty
        let texts = fromOptions ? trustedProxies
            : (environment["LABCTL_TRUSTED_PROXIES"] ?? "").split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty }
        do {
            return try TrustedProxies(parsing: texts)
        } catch {
            throw LabFailure.usage("\(fromOptions ? "--trusted-proxy" : "LABCTL_TRUSTED_PROXIES"): \(error.description) (the address nginx or Caddy connects to labctl from).")
        }
    }

    /// The startup line naming whom forwarded headers are believed from.
    static func summary(_ trusted: TrustedProxies) -> String {
        trusted.isEmpty
            ? "proxies:   none trusted (X-Forwarded-For/Forwarded ignored; --trusted-proxy if a proxy is in front)"
            : "proxies:   \(trusted) trusted: clients' addresses, scheme and host come from their X-Forwarded-For/-Proto/-Host (or Forwarded)"
    }
}

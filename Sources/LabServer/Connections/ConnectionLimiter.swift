import Foundation
import NIOCore
import Synchronization

/// Caps open connections per client address and in total (issue 23, item 3), so that
/// one address's idle or slow sockets cannot take every file descriptor, and the
/// process keeps descriptors for its registry, Terraform and SSH. A connection over a
/// cap is closed as soon as it is accepted.
final class ConnectionLimiter: Sendable {
    enum Refusal: Error, CustomStringConvertible {
        case address(String, limit: Int)
        case total(limit: Int)

        var description: String {
            switch self {
            case .address(let key, let limit): "\(key) already has \(limit) open connections"
            case .total(let limit): "\(limit) connections are open, the most this server takes"
            }
        }
    }

    let perAddress: Int
    let total: Int
    let trusted: TrustedProxies
    private let open = Mutex<(total: Int, byKey: [String: Int])>((0, [:]))

    init(perAddress: Int, total: Int, trusted: TrustedProxies = .none) {
        self.perAddress = perAddress
        self.total = total
        self.trusted = trusted
    }

    /// The one place that says who a connection belongs to: its socket peer's IP
    /// address. nil: counted only in the total, for a connection without an address (a
    /// Unix socket) and for one from a trusted proxy, which carries many clients' requests
    /// and whose clients are known only per request (their limits key on `RequestOrigin`).
    func key(for peer: SocketAddress?) -> String? {
        guard let ip = peer?.ipAddress, !trusted.contains(peer: ip) else { return nil }
        return ip
    }

    /// Counts a new connection in, or refuses it (and counts nothing).
    func admit(_ key: String?) -> Refusal? {
        open.withLock { open in
            guard open.total < total else { return .total(limit: total) }
            if let key {
                let count = open.byKey[key, default: 0]
                guard count < perAddress else { return .address(key, limit: perAddress) }
                open.byKey[key] = count + 1
            }
            open.total += 1
            return nil
        }
    }

    /// Counts a closed connection out.
    func release(_ key: String?) {
        open.withLock { open in
            open.total -= 1
            if let key, let count = open.byKey[key] {
                open.byKey[key] = count > 1 ? count - 1 : nil
            }
        }
    }

    /// Open connections now (in total, and from `key`).
    func openConnections(from key: String? = nil) -> Int {
        open.withLock { open in key.map { open.byKey[$0, default: 0] } ?? open.total }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain blocking TCP client socket from a chosen loopback source address (Linux routes
/// all of 127/8 to lo), for clients that misbehave on purpose: a request head and one
/// body byte, a head trickled a line at a time, or nothing at all. Closed by `close()`
/// or when released.
final class RawSocket {
    private(set) var fd: Int32
    let source: String

    /// Binds to `source` (any free port) and connects to 127.0.0.1:`port`.
    init(from source: String, to port: Int) throws {
        self.source = source
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSocketError("socket(): \(String(cString: strerror(errno)))") }
        do {
            var local = try Self.address(source, port: 0)
            try Self.check(withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }, "bind \(source)")
            var remote = try Self.address("127.0.0.1", port: port)
            try Self.check(withUnsafePointer(to: &remote) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }, "connect to 127.0.0.1:\(port) from \(source)")
        } catch {
            Glibc.close(fd)
            fd = -1
            throw error
        }
    }

    deinit { close() }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    /// Sends all of `text`; false when the server has closed the connection.
    @discardableResult
    func send(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return false }
            bytes = bytes.dropFirst(sent)
        }
        return true
    }

    /// What a non-blocking read says now: bytes, the end (EOF or reset), or nothing yet.
    enum ReadResult { case bytes([UInt8]), closed, nothing }

    func readNow() -> ReadResult {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if n > 0 { return .bytes(Array(buffer[0..<n])) }
        if n == 0 { return .closed }
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? .nothing : .closed
    }

    /// Reads one HTTP/1.1 response (head and a Content-Length body); nil when the
    /// connection ends first or `timeout` passes.
    func readResponse(timeout: TimeInterval) -> String? {
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = String(bytes: received, encoding: .utf8), let headEnd = text.range(of: "\r\n\r\n") {
                let head = text[..<headEnd.lowerBound].lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if text[headEnd.upperBound...].utf8.count >= length { return text }
            }
            guard Self.waitReadable([self], milliseconds: 100) else { continue }
            switch readNow() {
            case .bytes(let bytes): received += bytes
            case .closed: return nil
            case .nothing: continue
            }
        }
        return nil
    }

    /// Waits until the server has closed each of `sockets` (EOF or reset; bytes it sends
    /// are read and dropped) or `timeout` passes; returns those still open.
    static func waitUntilClosed(_ sockets: [RawSocket], timeout: TimeInterval) -> [RawSocket] {
        var open = sockets
        let deadline = Date().addingTimeInterval(timeout)
        while !open.isEmpty, Date() < deadline {
            var fds = open.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), 200)
            guard ready > 0 else { continue }
            var still: [RawSocket] = []
            for (socket, entry) in zip(open, fds) {
                if entry.revents != 0, case .closed = socket.drain() { continue }
                still.append(socket)
            }
            open = still
        }
        return open
    }

    /// Reads what is there; `.closed` once the server has ended the connection.
    private func drain() -> ReadResult {
        while true {
            switch readNow() {
            case .bytes: continue
            case let other: return other
            }
        }
    }

    private static func waitReadable(_ sockets: [RawSocket], milliseconds: Int32) -> Bool {
        var fds = sockets.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        return poll(&fds, nfds_t(fds.count), milliseconds) > 0
    }

    private static func address(_ ip: String, port: Int) throws -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        guard inet_pton(AF_INET, ip, &address.sin_addr) == 1 else { throw TestSocketError("\(ip) is not an IPv4 address") }
        return address
    }

    private static func check(_ result: Int32, _ what: String) throws {
        guard result == 0 else { throw TestSocketError("\(what): \(String(cString: strerror(errno)))") }
    }
}

struct TestSocketError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

import Foundation
import LabTestSupport
import LabVerify
import XCTest

/// The libssh2 wrapper on its own, against a real sshd.
final class SSHConnectionTests: XCTestCase {
    nonisolated(unsafe) static var dir: TemporaryDirectory!
    nonisolated(unsafe) static var master: LoopbackMaster!
    nonisolated(unsafe) static var key: KeyGen.Pair!

    nonisolated(unsafe) static var setupError: Error?

    /// A fixture that cannot start fails every test with its reason (see setUpWithError).
    override class func setUp() {
        do {
            dir = try TemporaryDirectory("ssh-wrapper")
            key = try KeyGen.generate(in: dir.url, name: "id", comment: "wrapper")
            master = try LoopbackMaster(directory: dir.file("master"), authorizedKeys: [key.publicLine], replay: .ready(workers: 1))
        } catch {
            setupError = error
        }
    }

    override func setUpWithError() throws {
        if let e = Self.setupError { throw e }
    }

    override class func tearDown() {
        master?.stop()
        dir?.remove()
    }

    func connect(_ seconds: TimeInterval = 10) throws -> SSHConnection {
        try SSHConnection(host: Self.master.host, port: Self.master.port, deadline: Deadline(secondsFromNow: seconds))
    }

    func testHostKeyFingerprintIsTheOneSSHKeygenPrints() throws {
        let c = try connect()
        let hostKey = try c.handshake()
        XCTAssertEqual(hostKey.type, "ssh-ed25519")
        XCTAssertEqual(hostKey.fingerprint, try KeyGen.fingerprint(ofFile: Self.master.hostKeyPublicPath.path))
    }

    func testSeveralChannelsOverOneConnectionKeepStreamsAndExitStatusApart() throws {
        let c = try connect()
        _ = try c.handshake()
        try c.authenticate(user: Self.master.loginUser, identity: .privateKey(pem: try String(contentsOfFile: Self.key.privateKeyPath, encoding: .utf8)))
        let results = try c.execConcurrently(["echo out; echo err >&2; exit 3", "sleep 0.2; head -c 100000 /dev/zero | tr '\\0' x", "cloud-init status --format json"])
        XCTAssertEqual(results[0].stdout, "out\n")
        XCTAssertEqual(results[0].stderr, "err\n")
        XCTAssertEqual(results[0].exitStatus, 3)
        XCTAssertEqual(results[1].stdout.count, 100_000)
        XCTAssertEqual(results[1].exitStatus, 0)
        XCTAssertTrue(results[2].stdout.contains("\"status\": \"done\""), results[2].stdout)
        XCTAssertEqual(try c.readFile(Self.master.authorizedKeysPath.path)?.contains(Self.key.publicLine), true)
        XCTAssertNil(try c.readFile("/nonexistent/file"))
    }

    func login(_ seconds: TimeInterval = 10) throws -> SSHConnection {
        let c = try connect(seconds)
        _ = try c.handshake()
        try c.authenticate(user: Self.master.loginUser, identity: .file(path: Self.key.privateKeyPath))
        return c
    }

    /// A command that never stops printing: the channel keeps the first `outputLimit` bytes and
    /// is closed; a channel beside it still answers in full; the connection stays usable.
    func testOutputPastTheLimitIsCutAndTheChannelClosed() throws {
        let c = try login()
        let results = try c.execConcurrently(["yes labctl-hostile-output", "echo fine; exit 4"], outputLimit: 100_000)
        XCTAssertTrue(results[0].truncated)
        XCTAssertEqual(results[0].stdout.utf8.count, 100_000)
        XCTAssertTrue(results[0].stdout.hasPrefix("labctl-hostile-output\nlabctl-hostile-output\n"))
        XCTAssertEqual(results[0].exitStatus, -1, "not waited for")
        XCTAssertFalse(results[1].truncated)
        XCTAssertEqual(results[1].stdout, "fine\n")
        XCTAssertEqual(results[1].exitStatus, 4)
        // Output of exactly the limit is not cut; stderr counts towards it too.
        let exact = try c.exec("head -c 1000 /dev/zero; head -c 24 /dev/zero >&2", outputLimit: 1024)
        XCTAssertFalse(exact.truncated)
        XCTAssertEqual(exact.stdout.utf8.count + exact.stderr.utf8.count, 1024)
        XCTAssertTrue(try c.exec("head -c 1025 /dev/zero", outputLimit: 1024).truncated)
        XCTAssertEqual(try c.exec("echo still here").stdout, "still here\n")
        XCTAssertNil(try c.readFile("/dev/zero"), "an endless file reads as unreadable, not as 2 MiB of it")
    }

    /// Output that streams in faster than it is read still stops at the deadline. `yes` streams
    /// about 350 MB/s here: the last 0.2 s before the deadline stay far below the 256 MiB limit
    /// (without the check, reading would go on to the limit and return instead of timing out).
    func testTheDeadlineHoldsWhileOutputKeepsStreaming() throws {
        let c = try login(2)
        XCTAssertThrowsError(try c.exec("sleep 1.8; exec yes", outputLimit: 256 * 1024 * 1024)) { error in
            XCTAssertEqual((error as? SSHError)?.step, .channel)
            XCTAssertTrue((error as? SSHError)?.timedOut ?? false, "\(error)")
        }
    }

    func testKeyFileAuthenticationAndRefusal() throws {
        let c = try connect()
        _ = try c.handshake()
        try c.authenticate(user: Self.master.loginUser, identity: .file(path: Self.key.privateKeyPath))
        XCTAssertEqual(try c.exec("echo $HOME").stdout, Self.master.directory.appendingPathComponent("home").path + "\n")

        let other = try KeyGen.generate(in: Self.dir.url, name: "other")
        let d = try connect()
        _ = try d.handshake()
        XCTAssertThrowsError(try d.authenticate(user: Self.master.loginUser, identity: .file(path: other.privateKeyPath))) { error in
            XCTAssertEqual((error as? SSHError)?.step, .authenticate)
            XCTAssertTrue("\(error)".contains("refused"), "\(error)")
        }
    }

    func testClosedPortFailsAtConnect() throws {
        let port = try FreePort.find()
        XCTAssertThrowsError(try SSHConnection(host: "127.0.0.1", port: port, deadline: Deadline(secondsFromNow: 5))) { error in
            XCTAssertEqual((error as? SSHError)?.step, .connect)
            XCTAssertFalse((error as? SSHError)?.timedOut ?? true)
        }
    }

    func testSilentListenerTimesOutAtTheDeadline() throws {
        let port = try FreePort.find()
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        XCTAssertEqual(listen(fd, 4), 0)
        let start = Date()
        let c = try SSHConnection(host: "127.0.0.1", port: port, deadline: Deadline(secondsFromNow: 1))
        XCTAssertThrowsError(try c.handshake()) { error in
            XCTAssertEqual((error as? SSHError)?.step, .handshake)
            XCTAssertTrue((error as? SSHError)?.timedOut ?? false)
        }
        c.close()
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertGreaterThanOrEqual(elapsed, 0.9)
        XCTAssertLessThan(elapsed, 2.0)
    }
}

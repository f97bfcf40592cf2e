import Foundation
import GRDB
import LabCore
import LabStore
import LabTestSupport
import XCTest

/// The built `labctl serve` as a child process on a loopback port: start-up,
/// concurrency, kill -9 in the middle of a load, graceful shutdown.
final class LiveServerTests: XCTestCase {
    /// Pod networks for a few hundred participants (the default pool has 144).
    static let widePool = ["LABCTL_POD_CIDR_POOL": "10.112.0.0/12,10.128.0.0/9,100.64.0.0/10"]
    /// A server for the load tests: room for every submission, no rate limit, a known admin token.
    static let loadEnvironment = widePool.merging(["LABCTL_SUBMISSIONS_PER_MINUTE": "100000", "LABCTL_ADMIN_TOKEN": "a-long-enough-admin-token"]) { a, _ in a }

    func testServeStartsWithOneCommandOnTheSQLiteDefaultAndPrintsWhereToGo() async throws {
        let lab = try LabFolder()
        defer { lab.remove() }
        let code = try lab.open("s1")
        let server = try ServerProcess(lab: lab.url)
        let out = server.stdout
        XCTAssertTrue(out.contains("dashboard: \(server.baseURL)/admin"), out)
        XCTAssertTrue(out.contains("s1: \(server.baseURL)/join/\(code)"), out)
        XCTAssertTrue(out.contains("database:  .labctl/lab.sqlite"), out)
        // Not a terminal: the generated token goes to a private file, not to the log.
        let tokenFile = lab.dir.file(".labctl/admin-token")
        let token = try String(contentsOf: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let mode = try FileManager.default.attributesOfItem(atPath: tokenFile.path)[.posixPermissions] as! NSNumber
        XCTAssertEqual(mode.intValue & 0o777, 0o600)
        XCTAssertFalse(server.stdout.contains(token) || server.stderr.contains(token))

        let client = LiveClient(port: server.port)
        let v8 = try await client.get("/healthz").text
        XCTAssertEqual(v8, "ok\n")
        let sessions = try await client.get("/api/v1/admin/sessions", headers: [.authorization: "Bearer \(token)"])
        XCTAssertEqual(sessions.status, 200)
        XCTAssertTrue(sessions.text.contains("\"session\":\"s1\""))
        await client.close()
        XCTAssertEqual(server.terminate(), 0, "SIGTERM is a clean stop")
        XCTAssertTrue(server.stdout.hasSuffix("labctl intake stopped\n"))

        // The second start keeps the stored token and says so.
        try FileManager.default.removeItem(at: tokenFile)
        let again = try ServerProcess(lab: lab.url)
        XCTAssertTrue(again.stdout.contains("the one shown on the first start"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: tokenFile.path))
        let check = LiveClient(port: again.port)
        let v9 = try await check.get("/api/v1/admin/sessions", headers: [.authorization: "Bearer \(token)"]).status
        XCTAssertEqual(v9, 200)
        await check.close()
        XCTAssertEqual(again.terminate(), 0)
    }

    func testABusyPortIsAnEnvironmentErrorWithExitCodeTwo() throws {
        let lab = try LabFolder()
        defer { lab.remove() }
        let server = try ServerProcess(lab: lab.url, environment: ["LABCTL_ADMIN_TOKEN": "a-long-enough-admin-token"])
        let second = try LabctlBinary.run(["serve", "--port", "\(server.port)"], env: ["LABCTL_ADMIN_TOKEN": "a-long-enough-admin-token"],
                                          directory: lab.url)
        XCTAssertEqual(second.status, 2)
        XCTAssertTrue(second.stderr.contains("cannot serve on 127.0.0.1:\(server.port)"), second.stderr)
        XCTAssertTrue(second.stderr.contains("--port"))
        XCTAssertEqual(server.terminate(), 0)
    }

    /// Runs `workers` connections posting `jobs` (name, key) until done or the
    /// server goes away; `whenAcknowledged` fires once (count, action).
    func load(port: Int, code: String, jobs: [(first: String, last: String, key: TestKeys.Key)], workers: Int,
              whenAcknowledged trigger: (count: Int, action: @Sendable () async -> Void)? = nil) async -> Acknowledgements {
        let acks = Acknowledgements(workers: workers)
        await withTaskGroup(of: Void.self) { group in
            for w in 0..<workers {
                group.addTask {
                    let client = LiveClient(port: port)
                    for i in stride(from: w, to: jobs.count, by: workers) {
                        let job = jobs[i]
                        do {
                            let r = try await client.join(code: code, first: job.first, last: job.last, key: job.key.line)
                            await acks.record(status: r.status, participant: r.json["name"] as? String,
                                              fingerprint: r.json["fingerprint"] as? String)
                        } catch { break }
                    }
                    await client.close()
                    await acks.workerDone()
                }
            }
            if let trigger {
                group.addTask {
                    await acks.wait(for: trigger.count)
                    await trigger.action()
                }
            }
        }
        return acks
    }

    func registry(_ lab: LabFolder) throws -> Registry { try Registry(path: lab.database, pool: try PodCIDRPool(spec: Self.widePool.values.first)) }

    /// The start of every load test: a lab with s1 open and `labctl serve` on it, set for a load.
    func startLoadServer() throws -> (lab: LabFolder, code: String, server: ServerProcess) {
        let lab = try LabFolder()
        do {
            // A load, not a cap test: room above the default max_participants (50).
            try lab.dir.writeSession("s1", "max_participants = 1000\n")
            let code = try lab.open()
            return (lab, code, try ServerProcess(lab: lab.url, environment: Self.loadEnvironment))
        } catch {
            lab.remove()
            throw error
        }
    }

    func testConcurrentSubmissionsNeverLoseOrDuplicateARow() async throws {
        let (lab, code, server) = try startLoadServer()
        defer { lab.remove() }
        // 150 distinct people; then 20 keys sent twice under different names and 10 names twice with different keys, all at once.
        var jobs = (0..<150).map { (first: "user\($0)", last: "load", key: TestKeys.ed25519()) }
        let shared = (0..<20).map { _ in TestKeys.ed25519() }
        jobs += shared.enumerated().flatMap { i, key in [(first: "key\(i)", last: "first", key: key), (first: "key\(i)", last: "second", key: key)] }
        jobs += (0..<10).flatMap { i in [(first: "name\(i)", last: "twice", key: TestKeys.ed25519()), (first: "name\(i)", last: "twice", key: TestKeys.ed25519())] }
        jobs.shuffle()
        let acks = await load(port: server.port, code: code, jobs: jobs, workers: 24)
        let statuses = await acks.statuses
        let acknowledged = await acks.byName
        XCTAssertEqual(statuses[201], 150 + 20 + 10, "\(statuses)")
        XCTAssertEqual(statuses[409], 20 + 10, "\(statuses)")
        XCTAssertEqual(server.terminate(), 0)

        let stored = try registry(lab).participants(in: "s1")
        XCTAssertEqual(stored.count, acknowledged.count)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: stored.map { ($0.name, $0.fingerprint) }), acknowledged)
        XCTAssertEqual(Set(stored.map(\.fingerprint)).count, stored.count, "no key twice")
        XCTAssertEqual(Set(stored.map(\.podCIDR)).count, stored.count, "no network twice")
        XCTAssertEqual(Set(stored.map(\.discreteID)).count, stored.count, "no discrete id twice")
    }

    func testKill9InTheMiddleOfALoadKeepsEveryAcknowledgedSubmission() async throws {
        let (lab, code, server) = try startLoadServer()
        defer { lab.remove() }
        let jobs = (0..<200).map { (first: "crash\($0)", last: "test", key: TestKeys.ed25519()) }
        let acks = await load(port: server.port, code: code, jobs: jobs, workers: 16,
                              whenAcknowledged: (count: 60, action: { await offThread { server.kill9() } }))
        let acknowledged = await acks.byName
        XCTAssertFalse(server.process.isRunning)
        XCTAssertEqual(server.process.currentTermination, .signalled(SIGKILL))
        XCTAssertGreaterThanOrEqual(acknowledged.count, 60)
        XCTAssertLessThan(acknowledged.count, jobs.count, "the kill came in the middle of the load")

        let registry = try registry(lab)
        let integrity = try syncRead(registry) { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
        XCTAssertEqual(integrity, "ok")
        let stored = Dictionary(uniqueKeysWithValues: try registry.participants(in: "s1").map { ($0.name, $0.fingerprint) })
        for (name, fingerprint) in acknowledged {
            XCTAssertEqual(stored[name], fingerprint, "acknowledged \(name) is lost")
        }
        // Committed but not acknowledged (in flight at the kill) is allowed; each has a token and one key.
        let orphans = try syncRead(registry) { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM participant p LEFT JOIN participantToken t ON t.participantID = p.id WHERE t.participantID IS NULL")
        }
        XCTAssertEqual(orphans, 0, "a participant row without its token: a half-written submission")

        // A restart on the same database serves again.
        let restarted = try ServerProcess(lab: lab.url, environment: Self.loadEnvironment)
        let client = LiveClient(port: restarted.port)
        let after = try await client.join(code: code, first: "after", last: "restart", key: TestKeys.ed25519().line)
        XCTAssertEqual(after.status, 201)
        await client.close()
        XCTAssertEqual(restarted.terminate(), 0)
    }

    func testSIGTERMDuringALoadAnswersOrRefusesEveryRequestAndLosesNoAcknowledgedOne() async throws {
        let (lab, code, server) = try startLoadServer()
        defer { lab.remove() }
        let jobs = (0..<200).map { (first: "term\($0)", last: "test", key: TestKeys.ed25519()) }
        let status = LockedBox<Int32?>(nil)
        let acks = await load(port: server.port, code: code, jobs: jobs, workers: 16,
                              whenAcknowledged: (count: 40, action: { status.value = await offThread { server.terminate() } }))
        XCTAssertEqual(status.value, 0, "graceful shutdown exits 0")
        let acknowledged = await acks.byName
        let stored = Dictionary(uniqueKeysWithValues: try registry(lab).participants(in: "s1").map { ($0.name, $0.fingerprint) })
        for (name, fingerprint) in acknowledged { XCTAssertEqual(stored[name], fingerprint) }
        XCTAssertEqual(stored.count, acknowledged.count, "a graceful stop answers what it committed")
    }
}

/// A synchronous GRDB read from an async test (where GRDB would pick its async overload).
func syncRead<T>(_ registry: Registry, _ block: (Database) throws -> T) throws -> T { try registry.database.read(block) }

/// Runs blocking work (waiting for a process) on its own thread, not on the cooperative pool.
func offThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in Thread { continuation.resume(returning: body()) }.start() }
}

// @unchecked Sendable: every access holds its lock.
final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}

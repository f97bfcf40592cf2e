import Foundation
import LabCore
import LabStore
import LabTestSupport
import XCTest

/// A `TestLab` (no moto) with one session, its registry, a real operator key (ssh-keygen)
/// and loopback masters (real sshd) listed in an inventory for `labctl verify`.
final class VerifyLab {
    let dir: TestLab
    let session = "session-1"
    let registry: Registry
    let operatorKey: KeyGen.Pair
    private(set) var masters: [String: LoopbackMaster] = [:]
    private(set) var inventory: [String: (host: String, port: Int)] = [:]
    private(set) var participantKeys: [String: KeyGen.Pair] = [:]
    private var listeners: [Int32] = []

    init(workers: Int = 1, storeOperatorKey: Bool = true) throws {
        dir = try TestLab("verify", moto: false)
        for d in ["keys", "masters"] {
            try FileManager.default.createDirectory(at: dir.file(d), withIntermediateDirectories: true)
        }
        try dir.writeSession(session, "worker_count = \(workers)\n")
        registry = try dir.registry()
        operatorKey = try KeyGen.generate(in: dir.file("keys"), name: "operator", comment: "labctl-operator@\(session)")
        if storeOperatorKey {
            let pem = try String(contentsOfFile: operatorKey.privateKeyPath, encoding: .utf8)
            try registry.storeSessionSecretIfAbsent(SessionSecretRecord(session: session, operatorPrivateKey: pem, operatorPublicKey: operatorKey.publicLine))
        }
    }

    /// Registers `name` with a fresh ed25519 key; returns the discrete id.
    @discardableResult
    func addParticipant(_ name: String) throws -> String {
        let (p, pair) = try dir.register(name, in: session, registry: registry, comment: name)
        participantKeys[p.discreteID] = pair
        return p.discreteID
    }

    /// A participant with a loopback master. By default both the operator and the participant key are authorised.
    @discardableResult
    func addMaster(_ name: String, replay: NodeReplay, operatorAuthorised: Bool = true, participantAuthorised: Bool = true) throws -> String {
        let id = try addParticipant(name)
        var keys: [String] = []
        if operatorAuthorised { keys.append(operatorKey.publicLine) }
        if participantAuthorised { keys.append("no-port-forwarding,no-agent-forwarding " + participantKeys[id]!.publicLine) }
        let master = try LoopbackMaster(directory: dir.file("masters/\(id)"), authorizedKeys: keys, replay: replay)
        masters[id] = master
        inventory[id] = (master.host, master.port)
        return id
    }

    /// A participant whose inventory port has nothing listening.
    @discardableResult
    func addClosedPort(_ name: String) throws -> String {
        let id = try addParticipant(name)
        inventory[id] = ("127.0.0.1", try FreePort.find())
        return id
    }

    /// A participant whose port accepts TCP (kernel backlog) and never says a word.
    @discardableResult
    func addSilentListener(_ name: String) throws -> String {
        let id = try addParticipant(name)
        let port = try FreePort.find()
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard ok, listen(fd, 16) == 0 else { throw TestSupportError("cannot listen on 127.0.0.1:\(port)") }
        listeners.append(fd)
        inventory[id] = ("127.0.0.1", port)
        return id
    }

    @discardableResult
    func writeInventory(_ name: String = "inventory.json") throws -> String {
        var object: [String: Any] = [:]
        for (id, a) in inventory { object[id] = ["host": a.host, "port": a.port] }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        try data.write(to: dir.file(name))
        return dir.file(name).path
    }

    var loginUser: String { masters.values.first?.loginUser ?? "root" }

    /// Runs `labctl verify session-1 --inventory … --user <loginUser> extra…` in the lab.
    func verify(_ extra: [String] = [], inventoryFile: String? = nil) throws -> (output: Shell.Output, seconds: TimeInterval) {
        let inv = try inventoryFile ?? writeInventory()
        let start = Date()
        let r = try dir.labctl(["verify", session, "--inventory", inv, "--user", loginUser] + extra)
        return (r, Date().timeIntervalSince(start))
    }

    func labctl(_ args: [String]) throws -> Shell.Output { try dir.labctl(args) }

    func stop() {
        for m in masters.values { m.stop() }
        for fd in listeners { close(fd) }
        listeners = []
        dir.remove()
    }

    /// `--json` output parsed, keyed by participant.
    static func reports(_ stdout: String) throws -> [String: [String: Any]] {
        let array = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [[String: Any]], "not a JSON array: \(stdout)")
        return Dictionary(uniqueKeysWithValues: array.map { ($0["discrete_id"] as! String, $0) })
    }

    static func check(_ report: [String: Any]?, _ name: String) -> (status: String, reason: String) {
        let checks = report?["checks"] as? [String: Any]
        let c = checks?[name] as? [String: Any]
        return (c?["status"] as? String ?? "<missing>", c?["reason"] as? String ?? "")
    }
}

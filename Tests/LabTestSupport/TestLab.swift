import Foundation
import LabStore

/// The one lab folder of the tests. For tests that run the built labctl against real
/// Terraform and the real AWS provider on moto: `terraform/` copied in, a moto on a free
/// loopback port (its endpoint in `env`), sessions made with `create-config` (workers,
/// master type, `--end`, the AMI moto knows), participants with real ed25519 keys from
/// ssh-keygen, the session's operator key from the registry and loopback sshd masters
/// with the inventory file that maps participants to them. Without moto, a bare lab
/// folder (`sessions/`, an empty `terraform/`) that in-process tests fill with
/// `writeSession` and `register` (TestLab+Registry.swift). `remove()` stops what it started.
// @unchecked Sendable: a test class builds it in `setUp` and only reads it afterwards
// (`env` and `keys` change only while the lab is being built, on the test's thread).
public final class TestLab: @unchecked Sendable {
    /// One session as `create-config` makes it, plus lines appended to its tfvars.
    public struct Session: Sendable {
        public var name: String
        public var workers: Int
        public var masterType: String?
        /// `--end`; nil: the session has none (as an old tfvars file).
        public var end: String?
        public var sshFrom: String
        /// Participant names, each added with `keys add` and a fresh ed25519 key.
        public var participants: [String]
        /// `ami_id` (moto's fixture AMI); nil: none, Terraform looks one up.
        public var ami: String?
        /// Appended to `sessions/<name>.tfvars` after the AMI line.
        public var tfvars: String
        /// `--spares`: ready clusters kept for late joiners.
        public var spares: Int

        public init(_ name: String, workers: Int = 0, masterType: String? = nil, end: String? = TestLab.defaultEnd,
                    sshFrom: String = "198.51.100.0/24", participants: [String] = [], ami: String? = TestLab.amiID,
                    tfvars: String = "", spares: Int = 0) {
            self.name = name
            self.workers = workers
            self.masterType = masterType
            self.end = end
            self.sshFrom = sshFrom
            self.participants = participants
            self.ami = ami
            self.tfvars = tfvars
            self.spares = spares
        }
    }

    /// Far enough ahead that no test session expires by itself.
    public static let defaultEnd = "2099-06-01T17:00:00+02:00"
    /// The AMI in Tests/terraform-fixtures/moto-amis.json.
    public static let amiID = "ami-0a1b2c3d4e5f60718"

    public let directory: TemporaryDirectory
    public let moto: MotoServer?
    /// What labctl and the fixtures get on top of a user's environment (moto's endpoint and credentials).
    public var env: [String: String]
    /// The participants' key pairs by `"<session>/<name>"`.
    public internal(set) var keys: [String: KeyGen.Pair] = [:]
    private var masters: [LoopbackMaster] = []

    /// A lab folder named `<prefix>-…`; with `moto`, an emulator for it and `terraform/` copied in;
    /// with `serviceQuotas`, Service Quotas answered from `quotasFile` (written by the test).
    public init(_ prefix: String, moto withMoto: Bool = true, serviceQuotas: Bool = false, sessions: [Session] = []) throws {
        directory = try TemporaryDirectory(prefix)
        do {
            moto = withMoto ? try MotoServer(amisPath: RepositoryPaths.motoAMIs.path, directory: directory.url,
                                             quotas: serviceQuotas ? directory.file("quotas.json") : nil) : nil
            env = moto?.environment() ?? [:]
            if withMoto { try RepositoryPaths.copyTerraform(to: directory.url) }
            // sessions/ and terraform/ are how labctl recognises a lab folder.
            for folder in ["sessions", "terraform"] {
                try FileManager.default.createDirectory(at: directory.file(folder), withIntermediateDirectories: true)
            }
            for session in sessions { try add(session) }
        } catch {
            directory.remove()
            throw error
        }
    }

    deinit { remove() }

    public var url: URL { directory.url }
    public var path: String { directory.path }
    public func file(_ name: String) -> URL { directory.file(name) }
    /// The Service Quotas answers of a lab made with `serviceQuotas` (see `AWSJSONEmulator`).
    public var quotasFile: URL { file("quotas.json") }
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> URL { try directory.write(name, text) }

    // MARK: labctl

    /// Runs the built labctl in the lab with `env` (plus `extra`).
    public func labctl(_ arguments: [String], env extra: [String: String] = [:], input: Data? = nil) throws -> Shell.Output {
        try LabctlBinary.run(arguments, env: env.merging(extra) { _, b in b }, input: input, directory: url)
    }

    /// Runs labctl and throws (naming the command and its output) unless it exits 0: for set-up steps.
    @discardableResult
    public func run(_ arguments: [String]) throws -> Shell.Output {
        let r = try labctl(arguments)
        guard r.status == 0 else { throw TestSupportError("labctl \(arguments.joined(separator: " ")) failed: \(r.stdout)\(r.stderr)") }
        return r
    }

    /// The user's environment plus `env`, for python fixtures and boto3.
    public var processEnvironment: [String: String] { ProcessInfo.processInfo.environment.merging(env) { _, b in b } }

    // MARK: building

    /// `create-config`, the AMI line and `tfvars`, then every participant.
    public func add(_ session: Session) throws {
        var arguments = ["create-config", session.name, "--workers", String(session.workers), "--ssh-from", session.sshFrom]
        if let type = session.masterType { arguments += ["--master-type", type] }
        if let end = session.end { arguments += ["--end", end] }
        if session.spares > 0 { arguments += ["--spares", String(session.spares)] }
        try run(arguments)
        try appendToTFVars(session.name, (session.ami.map { "ami_id = \"\($0)\"\n" } ?? "") + session.tfvars)
        for name in session.participants { try addParticipant(name, to: session.name) }
    }

    public func appendToTFVars(_ session: String, _ text: String) throws {
        let url = file("sessions/\(session).tfvars")
        let current = try String(contentsOf: url, encoding: .utf8)
        try (current + text + (text.hasSuffix("\n") || text.isEmpty ? "" : "\n")).write(to: url, atomically: true, encoding: .utf8)
    }

    /// A fresh ed25519 key from ssh-keygen, added with `keys add`.
    @discardableResult
    public func addParticipant(_ name: String, to session: String) throws -> KeyGen.Pair {
        try FileManager.default.createDirectory(at: file("keys"), withIntermediateDirectories: true)
        let pair = try KeyGen.generate(in: file("keys"), name: "\(session)-\(name)")
        try run(["keys", "add", session, name, "--file", pair.publicKeyPath])
        keys["\(session)/\(name)"] = pair
        return pair
    }

    public func applyNetwork() throws { try run(["network", "apply", "-y"]) }

    /// The set-up of the tests that need deployed sessions: `network apply`, then one `apply`
    /// of `sessions` without the capacity preflight (its own tests run it). Throws, naming
    /// the output, unless both succeed; returns the sessions' apply for the tests to read.
    @discardableResult
    public func deploy(_ sessions: [String]) throws -> Shell.Output {
        try applyNetwork()
        return try run(["apply"] + sessions + ["-y", "--skip-preflight"])
    }

    /// The repository's `mail-templates/`, for tests that write sheets.
    public func copyMailTemplates() throws {
        let copy = try Shell.run("cp", ["-R", RepositoryPaths.mailTemplates.path, file("mail-templates").path])
        guard copy.status == 0 else { throw TestSupportError("copying mail-templates failed: \(copy.stderr)") }
    }

    // MARK: registry, operator key, masters

    public func registry() throws -> Registry { try Registry(path: file(".labctl/lab.sqlite").path) }

    /// The session's operator public key (generated by labctl at the first plan or apply).
    public func operatorPublicKey(_ session: String) throws -> String {
        guard let secret = try registry().sessionSecret(session) else {
            throw TestSupportError("session \(session) has no operator key yet: run plan or apply first")
        }
        return secret.operatorPublicKey
    }

    /// A loopback sshd master per participant (by discrete id) that the session's operator
    /// key opens, and `--inventory` JSON mapping them (and `unreachable` ids, to a closed
    /// port) for verify and extend. The masters stop with `remove()`.
    public func loopbackMasters(session: String, for discreteIDs: [String], unreachable: [String] = [],
                                replay: NodeReplay) throws -> (masters: [String: LoopbackMaster], inventory: URL) {
        let operatorKey = try operatorPublicKey(session)
        var started: [String: LoopbackMaster] = [:]
        var inventory: [String: Any] = [:]
        for id in discreteIDs {
            let master = try LoopbackMaster(directory: file("masters/\(id)"), authorizedKeys: [operatorKey], replay: replay)
            masters.append(master)
            started[id] = master
            inventory[id] = ["host": master.host, "port": master.port]
        }
        for id in unreachable { inventory[id] = ["host": "127.0.0.1", "port": try FreePort.find()] }
        let inventoryFile = file("inventory-\(session).json")
        try JSONSerialization.data(withJSONObject: inventory).write(to: inventoryFile)
        return (started, inventoryFile)
    }

    /// One loopback sshd node under `nodes/<name>` that `authorizedKeys` open (a spare's
    /// master or worker, say); it stops with `remove()`.
    public func loopbackNode(_ name: String, authorizedKeys: [String], replay: NodeReplay) throws -> LoopbackMaster {
        let node = try LoopbackMaster(directory: file("nodes/\(name)"), authorizedKeys: authorizedKeys, replay: replay)
        masters.append(node)
        return node
    }

    /// Stops the masters and moto and deletes the folder. Idempotent.
    public func remove() {
        for master in masters { master.stop() }
        masters = []
        moto?.stop()
        directory.remove()
    }
}

import Foundation
import LabCore
import LabStore
import LabVerify

/// Fewer workers per cluster (`worker_count` down): Terraform destroys the last workers'
/// instances, but their Node objects would stay NotReady and fail every later verify.
/// Before the apply, this removes those Node objects over SSH on each master.
public struct ShrinkWorkers: Sendable {
    /// One master's Node objects to remove.
    public struct Removal: Sendable, Equatable {
        public var discreteID: String
        /// Node names as the worker bootstrap names them (`worker-N`).
        public var nodes: [String]
    }

    public struct Result: Sendable {
        public var discreteID: String
        public var nodes: [String]
        /// nil: removed; else why not.
        public var problem: String?
    }

    public let registry: Registry
    public init(registry: Registry) { self.registry = registry }

    /// What shrinking the session to `workers` per cluster removes, from the recorded clusters.
    public func removals(session: String, workers: Int) throws -> [Removal] {
        try registry.clusters(session: session).compactMap { c in
            let had = c.workerInstanceIDs.count
            guard had > workers else { return nil }
            return Removal(discreteID: c.discreteID, nodes: ((workers + 1)...had).map { "worker-\($0)" })
        }
    }

    /// The command run on a master: delete the Node objects (absent ones are no error);
    /// `sudo -n` unless the login user is root, as verify's probe (admin.conf is root-only).
    public static func command(_ nodes: [String]) -> String {
        "if [ \"$(id -u)\" = 0 ]; then S=; else S='sudo -n'; fi; "
            + "$S kubectl --kubeconfig /etc/kubernetes/admin.conf --request-timeout=20s delete node --ignore-not-found --wait=false "
            + nodes.joined(separator: " ") + " </dev/null"
    }

    /// Removes the Node objects of workers beyond `workers`; `addresses` overrides the
    /// recorded master addresses (rehearsals). Masters that cannot be reached are
    /// reported, not fatal: their Nodes can be removed by hand afterwards.
    public func run(session: String, workers: Int, user: String = "ubuntu", identity: SSHIdentity? = nil,
                    addresses: [String: VerifySession.Address]? = nil) async throws -> [Result] {
        let removals = try removals(session: session, workers: workers)
        guard !removals.isEmpty else { return [] }
        guard let login = try identity ?? registry.sessionSecret(session).map({ SSHIdentity.privateKey(pem: $0.operatorPrivateKey) }) else {
            throw WorkflowError.usage("session \(session) has no operator key, so the removed workers' Node objects cannot be deleted.\n  Run `labctl apply \(session)` first.")
        }
        let recorded = Dictionary(try registry.clusters(session: session).compactMap { c in
            c.masterPublicIP.map { (c.discreteID, VerifySession.Address(host: $0, port: 22)) }
        }, uniquingKeysWith: { a, _ in a })
        let masters = addresses ?? recorded
        var results: [Result] = []
        var jobs: [(target: RemoteCommand.Target, command: String)] = []
        for r in removals {
            guard let a = masters[r.discreteID] else {
                results.append(Result(discreteID: r.discreteID, nodes: r.nodes, problem: "no master address"))
                continue
            }
            jobs.append((RemoteCommand.Target(label: "\(r.discreteID) master", host: a.host, port: a.port, pinnedDiscreteID: r.discreteID),
                         Self.command(r.nodes)))
        }
        let runner = RemoteCommand(user: user, identity: login, hostTimeout: 30, parallel: 16,
                                   pinning: try RegistryHostKeyPins(registry: registry, session: session))
        for outcome in await runner.run(jobs) {
            let id = outcome.target.pinnedDiscreteID!
            let nodes = removals.first { $0.discreteID == id }!.nodes
            if let why = outcome.unreachable {
                results.append(Result(discreteID: id, nodes: nodes, problem: why))
            } else if outcome.exitStatus == 0 {
                results.append(Result(discreteID: id, nodes: nodes, problem: nil))
            } else {
                let why = outcome.stderr.split(separator: "\n").first.map(String.init) ?? "exit \(outcome.exitStatus ?? -1)"
                results.append(Result(discreteID: id, nodes: nodes, problem: "kubectl delete node failed: \(why)"))
            }
        }
        return results.sorted { $0.discreteID < $1.discreteID }
    }
}

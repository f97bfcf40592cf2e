import Foundation
import LabCore
import LabStore
import LabVerify

/// One node a participant's key was put on (or taken off).
public struct NodeKeyResult: Sendable, Equatable {
    public var node: String
    public var ok: Bool
    public var detail: String
}

/// Edits the login user's authorized_keys on one cluster's nodes over SSH, with the
/// session's operator key and the master's pinned host key: how `assign` installs a
/// late joiner's key on a spare and `keys push` a key replaced after deploy.
struct NodeKeyEdit: Sendable {
    let runner: RemoteCommand

    init(registry: Registry, session: String, secret: SessionSecretRecord, user: String, hostTimeout: TimeInterval) throws {
        runner = RemoteCommand(user: user, identity: .privateKey(pem: secret.operatorPrivateKey), hostTimeout: hostTimeout,
                               pinning: try RegistryHostKeyPins(registry: registry, session: session))
    }

    /// The master (its pin checked as `id`'s) and workers of the cluster recorded as `cluster`;
    /// with an inventory, the addresses under `key` and `key/worker-N` instead (rehearsals, tests).
    static func targets(of key: String, as id: String, cluster: ClusterRecord,
                        inventory: [String: VerifySession.Address]?) -> [RemoteCommand.Target] {
        if let inventory {
            return inventory.keys.filter { $0 == key || $0.hasPrefix(key + "/") }.sorted().map { k in
                let a = inventory[k]!
                return RemoteCommand.Target(label: k == key ? "\(id) master" : "\(id) \(k.dropFirst(key.count + 1))",
                                            host: a.host, port: a.port, pinnedDiscreteID: k == key ? id : nil)
            }
        }
        var nodes: [RemoteCommand.Target] = []
        if let ip = cluster.masterPublicIP { nodes.append(.init(label: "\(id) master", host: ip, port: 22, pinnedDiscreteID: id)) }
        for (i, ip) in cluster.workerPublicIPs.enumerated() {
            nodes.append(.init(label: "\(id) worker-\(i + 1)", host: ip, port: 22, pinnedDiscreteID: nil))
        }
        return nodes
    }

    /// Runs `command` on every node; a node is ok when the command printed `AuthorizedKeyEdit.marker`.
    func run(_ command: String, on nodes: [RemoteCommand.Target], done: String) async -> [NodeKeyResult] {
        await runner.run(command, on: nodes).map { r in
            NodeKeyResult(node: r.target.label, ok: r.ok && r.stdout.contains(AuthorizedKeyEdit.marker),
                          detail: r.unreachable ?? (r.ok ? done : "exit \(r.exitStatus ?? -1): \((r.stderr + r.stdout).trimmingCharacters(in: .whitespacesAndNewlines))"))
        }
    }

    /// Runs `command` on every node, results ignored (taking a key back off after a failure).
    func runIgnoringResults(_ command: String, on nodes: [RemoteCommand.Target]) async {
        _ = await runner.run(command, on: nodes)
    }
}

/// Shell for adding or removing one key in the login user's authorized_keys. Keys are
/// `ssh-ed25519 <base64>` (no quotes possible), so single quotes are enough.
enum AuthorizedKeyEdit {
    static let marker = "labctl-key-present"

    /// Idempotent: the line is appended once; prints `marker` when the key is there.
    static func install(_ keyLine: String, label: String) -> String {
        "\(append(keyLine, label: label)) && grep -qF '\(keyOnly(keyLine))' ~/.ssh/authorized_keys && echo \(marker)"
    }

    static func remove(_ keyLine: String) -> String {
        let key = keyOnly(keyLine)
        return "f=~/.ssh/authorized_keys; [ -f \"$f\" ] && grep -vF '\(key)' \"$f\" > \"$f.labctl\"; cat \"$f.labctl\" > \"$f\"; rm -f \"$f.labctl\""
    }

    /// The old keys taken off, the new one installed; prints `marker` only when the file,
    /// read back, holds the new key and none of the old ones.
    static func replace(_ old: [String], with keyLine: String, label: String) -> String {
        let key = keyOnly(keyLine)
        let stale = Array(Set(old.map(keyOnly))).sorted().filter { $0 != key }
        let readBack = ["grep -qF '\(key)' ~/.ssh/authorized_keys"] + stale.map { "! grep -qF '\($0)' ~/.ssh/authorized_keys" }
        return (stale.map(remove) + ["\(append(keyLine, label: label)) && \(readBack.joined(separator: " && ")) && echo \(marker)"])
            .joined(separator: "; ")
    }

    /// Appends `keyLine` (type and key only) unless it is there.
    private static func append(_ keyLine: String, label: String) -> String {
        let key = keyOnly(keyLine)
        return "umask 077; mkdir -p ~/.ssh && touch ~/.ssh/authorized_keys && "
            + "{ grep -qF '\(key)' ~/.ssh/authorized_keys || printf '%s\\n' '\(key) labctl-participant-\(label)' >> ~/.ssh/authorized_keys; }"
    }

    static func keyOnly(_ line: String) -> String { line.split(separator: " ").prefix(2).joined(separator: " ") }
}

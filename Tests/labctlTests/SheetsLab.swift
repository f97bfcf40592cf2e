import Foundation
import LabCore
import LabStore
import LabTestSupport

/// A `TestLab` (no moto) with a session whose deployment tables are seeded the way
/// provisioning and verification fill them: three participants, real keys from
/// ssh-keygen, real host keys, one master not ready.
struct SheetsLab {
    let dir: TestLab
    let session = "k8s-lab"
    /// Host key files by participant name (`<path>.pub` holds the public half).
    var hostKeys: [String: KeyGen.Pair] = [:]

    var dbPath: String { dir.file(".labctl/lab.sqlite").path }
    func registry() throws -> Registry { try dir.registry() }
    var outDir: URL { dir.file("participant-access/\(session)") }
    func out(_ name: String) -> URL { outDir.appendingPathComponent(name) }
    func read(_ name: String) throws -> String { try String(contentsOf: out(name), encoding: .utf8) }

    static let people: [(name: String, display: String, email: String?, ip: String, workers: [String], ready: Bool)] = [
        ("zoe.muller-ludenscheidt", "Zoë Müller-Lüdenscheidt", "zoe@example.org", "203.0.113.10", ["203.0.113.11", "203.0.113.12"], true),
        ("jane.doe", "Doe, Jane \"JD\"", "jane.doe@example.org", "203.0.113.20", ["203.0.113.21"], true),
        ("bobby.tables", "Bobby <script>alert(\"x\")</script> Tables", nil, "203.0.113.30", [], false),
    ]

    init() throws {
        dir = try TestLab("sheets-cli", moto: false)
        try FileManager.default.createDirectory(at: dir.file("hostkeys"), withIntermediateDirectories: true)
        try dir.copyMailTemplates()
        try dir.writeSession(session, """
            kubernetes_version = "1.33"
            session_end   = "2026-12-04 17:00 Europe/Berlin"
            trainer_name  = "Renée Trainer"
            trainer_email = "renee@example.org"

            """)
        let registry = try registry()
        var clusters: [ClusterRecord] = []
        var verifications: [VerificationRecord] = []
        for person in Self.people {
            let outcome = try dir.register(person.name, in: session, registry: registry, displayName: person.display, email: person.email,
                                           comment: "")
            let id = outcome.participant.discreteID
            clusters.append(ClusterRecord(session: session, address: ClusterAddress(discreteID: id, masterPublicIP: person.ip, masterPrivateIP: "10.0.1.5",
                                          workerPublicIPs: person.workers, workerPrivateIPs: person.workers.map { _ in "10.0.1.6" },
                                          podCIDR: outcome.participant.podCIDR, masterInstanceID: "i-1",
                                          workerInstanceIDs: person.workers.map { _ in "i-2" })))
            let hostKey = try KeyGen.generate(in: dir.file("hostkeys"), name: person.name)
            hostKeys[person.name] = hostKey
            let parts = hostKey.publicLine.split(separator: " ")
            try registry.pinHostKeyIfAbsent(HostKeyRecord(session: session, discreteID: id, keyType: String(parts[0]),
                                                          keyBase64: String(parts[1]),
                                                          fingerprint: try KeyGen.fingerprint(ofFile: hostKey.publicKeyPath)!))
            var checks = CheckSet()
            checks.fillUnset(.pass("ok"))
            checks[.tcp] = .pass("connected")
            checks[.kubeadm] = person.ready ? .pass("3/3 Ready") : .pending("kubelet not running yet")
            verifications.append(VerificationRecord(session: session, discreteID: id, host: person.ip, port: 22, ready: person.ready,
                                                    checks: checks, nodesReady: person.ready ? 1 + person.workers.count : 0,
                                                    nodesExpected: 1 + person.workers.count))
        }
        try registry.recordClusters(session: session, clusters)
        try registry.saveVerifications(verifications)
    }

    func labctl(_ args: [String]) throws -> Shell.Output { try dir.labctl(args) }

    func remove() { dir.remove() }
}

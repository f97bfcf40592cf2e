// Drives the libssh2 wrapper (Sources/LabVerify/SSHConnection.swift and friends) through
// its success and failure paths for scripts/leak-check.sh, which runs this under valgrind.
//   leak-harness PORT USER KEY WRONG_KEY CLOSED_PORT SILENT_PORT ROUNDS
import Foundation

let a = CommandLine.arguments
guard a.count == 8, let port = Int(a[1]), let closed = Int(a[5]), let silent = Int(a[6]), let rounds = Int(a[7]) else {
    print("usage: leak-harness PORT USER KEY WRONG_KEY CLOSED_PORT SILENT_PORT ROUNDS"); exit(2)
}
let user = a[2]
let pem = try String(contentsOfFile: a[3], encoding: .utf8)
var outcomes: [String: Int] = [:]
func note(_ s: String) { outcomes[s, default: 0] += 1 }

for _ in 0..<rounds {
    // Success: handshake, key from memory, three concurrent channels, a file read.
    do {
        let c = try SSHConnection(host: "127.0.0.1", port: port, deadline: Deadline(secondsFromNow: 10))
        _ = try c.handshake()
        try c.authenticate(user: user, identity: .privateKey(pem: pem))
        let r = try c.execConcurrently(["echo out; echo err >&2; exit 3", "cloud-init status --format json", "kubectl --kubeconfig /etc/kubernetes/admin.conf get pods -A -o json"])
        _ = try c.readFile("/etc/hostname")
        note(r[0].exitStatus == 3 && r[0].stderr == "err\n" ? "success ok" : "success WRONG")
    } catch { note("success threw: \(error)") }
    // Success with the key from a file, then the connection dropped without close() (deinit frees).
    do {
        let c = try SSHConnection(host: "127.0.0.1", port: port, deadline: Deadline(secondsFromNow: 10))
        _ = try c.handshake()
        try c.authenticate(user: user, identity: .file(path: a[3]))
        _ = try c.exec("true")
        note("file key ok")
    } catch { note("file key threw: \(error)") }
    // Refused key.
    do {
        let c = try SSHConnection(host: "127.0.0.1", port: port, deadline: Deadline(secondsFromNow: 10))
        _ = try c.handshake()
        try c.authenticate(user: user, identity: .file(path: a[4]))
        note("refused WRONG")
    } catch { note("refused: \((error as? SSHError)?.step == .authenticate ? "ok" : "\(error)")") }
    // Closed port.
    do { _ = try SSHConnection(host: "127.0.0.1", port: closed, deadline: Deadline(secondsFromNow: 5)); note("closed WRONG") }
    catch { note("closed: \((error as? SSHError)?.step == .connect ? "ok" : "\(error)")") }
    // A listener that never speaks: the handshake times out at the deadline.
    do {
        let c = try SSHConnection(host: "127.0.0.1", port: silent, deadline: Deadline(secondsFromNow: 0.5))
        _ = try c.handshake()
        note("silent WRONG")
    } catch { note("silent: \((error as? SSHError)?.timedOut == true ? "ok" : "\(error)")") }
    // Timeout in the middle of a command.
    do {
        let c = try SSHConnection(host: "127.0.0.1", port: port, deadline: Deadline(secondsFromNow: 3))
        _ = try c.handshake()
        try c.authenticate(user: user, identity: .privateKey(pem: pem))
        _ = try c.execConcurrently(["sleep 30", "echo quick"])
        note("mid-command WRONG")
    } catch { note("mid-command timeout: \((error as? SSHError)?.timedOut == true ? "ok" : "\(error)")") }
}
for (k, v) in outcomes.sorted(by: { $0.key < $1.key }) { print("\(v)x \(k)") }

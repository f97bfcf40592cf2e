// Starts loopback masters (LabRehearsal.LoopbackMaster: one real sshd each) for
// scripts/bench/verify.sh, writes the inventory, and stops them all when stdin closes.
// Built by the script with swiftc together with Sources/LabRehearsal/*.swift.
//   verify-masters DIR OPERATOR_PUB IDS_FILE   (IDS_FILE: "<discrete id> <participant .pub>" lines)
import Foundation

let args = CommandLine.arguments
guard args.count == 4 else {
    FileHandle.standardError.write(Data("usage: verify-masters DIR OPERATOR_PUB IDS_FILE\n".utf8))
    exit(2)
}
let dir = URL(fileURLWithPath: args[1])
let operatorLine = try String(contentsOfFile: args[2], encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
let entries = try String(contentsOfFile: args[3], encoding: .utf8).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
var masters: [LoopbackMaster] = []
var inventory: [String: [String: Any]] = [:]
var ports: [String] = []
for e in entries where e.count == 2 {
    let participant = try String(contentsOfFile: e[1], encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    let m = try LoopbackMaster(directory: dir.appendingPathComponent(e[0]), authorizedKeys: [operatorLine, participant], replay: .ready(workers: 1))
    masters.append(m)
    inventory[e[0]] = ["host": m.host, "port": m.port]
    ports.append("\(e[0]) \(m.port)")
}
try JSONSerialization.data(withJSONObject: inventory, options: [.sortedKeys]).write(to: dir.appendingPathComponent("inventory.json"))
try Data((ports.joined(separator: "\n") + "\n").utf8).write(to: dir.appendingPathComponent("ports.txt"))
print("ready \(masters.count) user \(masters.first?.loginUser ?? "-")")
fflush(stdout)
_ = FileHandle.standardInput.readDataToEndOfFile()
for m in masters { m.stop() }

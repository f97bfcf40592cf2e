import Foundation
import LabTestSupport

/// A lab directory (sessions/, terraform/) with one session, for tests that run the binary.
struct LabFolder {
    let dir: TemporaryDirectory

    init(sessions: [String] = ["s1"]) throws {
        dir = try TemporaryDirectory("intake-live")
        for d in ["sessions", "terraform"] {
            try FileManager.default.createDirectory(at: dir.file(d), withIntermediateDirectories: true)
        }
        for s in sessions { try dir.write("sessions/\(s).tfvars", "session_name = \"\(s)\"\n") }
    }

    var url: URL { dir.url }
    var database: String { dir.file(".labctl/lab.sqlite").path }

    /// `labctl open <session> --json`: the join code.
    func open(_ session: String = "s1", env: [String: String] = [:]) throws -> String {
        let r = try LabctlBinary.run(["open", session, "--json"], env: env, directory: url)
        guard r.status == 0,
              let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
              let link = object["join_url"] as? String else {
            throw TestSupportError("labctl open failed (\(r.status)): \(r.stdout) \(r.stderr)")
        }
        return String(link.split(separator: "/").last!)
    }

    func remove() { dir.remove() }
}

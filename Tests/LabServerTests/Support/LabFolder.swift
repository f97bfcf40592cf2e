import Foundation
import LabTestSupport

/// A `TestLab` without moto, with sessions written by hand, for tests that run the binary.
struct LabFolder {
    let dir: TestLab

    init(sessions: [String] = ["s1"]) throws {
        dir = try TestLab("intake-live", moto: false)
        for s in sessions { try dir.writeSession(s) }
    }

    var url: URL { dir.url }
    var database: String { dir.file(".labctl/lab.sqlite").path }

    /// `labctl open <session> --json`: the join code.
    func open(_ session: String = "s1", env: [String: String] = [:]) throws -> String {
        let r = try dir.labctl(["open", session, "--json"], env: env)
        guard r.status == 0,
              let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
              let link = object["join_url"] as? String else {
            throw TestSupportError("labctl open failed (\(r.status)): \(r.stdout) \(r.stderr)")
        }
        return String(link.split(separator: "/").last!)
    }

    func remove() { dir.remove() }
}

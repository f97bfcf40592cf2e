import Foundation
import LabTestSupport
import XCTest

/// Masters that answer with far too much (a participant is root on theirs): `labctl verify`
/// reads a capped amount from each, keeps to the host deadline and names what happened,
/// and its memory does not grow with what a master sends.
final class HostileOutputTests: XCTestCase {
    static let hostTimeout: TimeInterval = 10
    static let fourGiB: UInt64 = 4 << 30

    func testA4GiBAuthorizedKeysAndAnEndlessKubectlAreReportedWithinTheHostTimeoutWithoutMemoryGrowth() throws {
        let lab = try VerifyLab(workers: 1)
        defer { lab.stop() }
        let big = try lab.addMaster("ivan.petrov", replay: .ready(workers: 1))
        let chatty = try lab.addMaster("zoe.chatty", replay: .ready(workers: 1))

        // The participant's authorized_keys: their key line, then a hole up to 4 GiB (sparse, no disk
        // used). sshd reads all of that file at every login, so the operator logs in through sshd's
        // other file: what is measured is labctl's reading, not sshd's.
        let master = try XCTUnwrap(lab.masters[big])
        try Data((lab.operatorKey.publicLine + "\n").utf8).write(to: master.sshdOnlyKeysPath)
        let truncate = try Shell.run(try Executables.find("truncate"), ["-s", "4G", master.authorizedKeysPath.path])
        XCTAssertEqual(truncate.status, 0, truncate.stderr)
        let size = try FileManager.default.attributesOfItem(atPath: master.authorizedKeysPath.path)[.size] as? UInt64
        XCTAssertEqual(size, Self.fourGiB)

        // A kubectl that never stops printing (a participant's own, first on the PATH).
        let kubectl = try XCTUnwrap(lab.masters[chatty]).directory.appendingPathComponent("bin/kubectl")
        try? FileManager.default.removeItem(at: kubectl)
        try Data("#!/bin/sh\nexec yes labctl-hostile-output\n".utf8).write(to: kubectl)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: kubectl.path)

        let before = Self.largestChildMaxRSS()
        let (run, seconds) = try lab.verify(["--json", "--host-timeout", "\(Int(Self.hostTimeout))s"])
        let after = Self.largestChildMaxRSS()
        print("labctl verify: \(String(format: "%.2f", seconds)) s; largest child max RSS \(before / 1024) MiB before, \(after / 1024) MiB after")

        XCTAssertEqual(run.status, 1, run.stderr)
        let reports = try VerifyLab.reports(run.stdout)
        let key = VerifyLab.check(reports[big], "participant-key")
        XCTAssertEqual(key.status, "fail")
        XCTAssertTrue(key.reason.contains("authorized_keys is larger than 1 MiB"), key.reason)
        XCTAssertTrue(key.reason.contains("ssh-keygen -lf ~/.ssh/authorized_keys"), key.reason)
        // The same channel's other command still answered, and the cluster checks ran.
        for name in ["auth", "cloud-init", "kubeadm"] {
            XCTAssertEqual(VerifyLab.check(reports[big], name).status, "pass", "\(name): \(VerifyLab.check(reports[big], name).reason)")
        }

        let cluster = VerifyLab.check(reports[chatty], "kubeadm")
        XCTAssertEqual(cluster.status, "fail")
        XCTAssertTrue(cluster.reason.contains("printed more than 2 MiB before `kubectl get` answered"), cluster.reason)
        for name in ["participant-key", "cloud-init"] {
            XCTAssertEqual(VerifyLab.check(reports[chatty], name).status, "pass", "\(name): \(VerifyLab.check(reports[chatty], name).reason)")
        }

        // Reported, not timed out: within one host deadline.
        XCTAssertLessThan(seconds, Self.hostTimeout, "the run took \(seconds) s")
        // ru_maxrss of the largest waited-for child (labctl): far below what the masters offered.
        XCTAssertLessThan(after - before, 256 * 1024, "labctl grew by \((after - before) / 1024) MiB")
    }

    /// `ru_maxrss` (KiB) of the largest child this process has waited for.
    static func largestChildMaxRSS() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return usage.ru_maxrss
    }
}

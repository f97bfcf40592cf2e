import Foundation
import LabTestSupport
import XCTest

/// The node side of the session's end, run for real: `terraform/session/templates/labctl-shutdown-at.sh`
/// (the bytes the user data installs) against a loopback IMDSv2 stub. As on a node it
/// runs as root and writes `/etc/systemd/system/labctl-shutdown.timer` and `.service`,
/// but in a private user and mount namespace where a temporary folder is bind-mounted over
/// `/etc/systemd/system`, and with a stand-in `systemctl` first on PATH that only
/// records its arguments (the approach of the old loopback-master fixture: stand-in
/// commands, a recorded result). So nothing on this machine is re-armed or powered off.
final class DeadManSwitchScriptTests: XCTestCase {
    static let script = RepositoryPaths.terraform.appendingPathComponent("session/templates/labctl-shutdown-at.sh")

    /// One node: its systemd folder and the stand-in systemctl's log.
    final class Node {
        let root: TemporaryDirectory
        init() throws {
            root = try TemporaryDirectory("dead-man-node")
            try FileManager.default.createDirectory(at: root.file("systemd"), withIntermediateDirectories: true)
            let systemctl = try root.write("bin/systemctl", "#!/bin/sh\nprintf '%s\\n' \"$*\" >>'\(root.file("systemctl.log").path)'\n")
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: systemctl.path)
        }

        /// Runs the script once against `imds`, as systemd's labctl-end.service would.
        func run(imds: String) throws -> Shell.Output {
            var env = ProcessInfo.processInfo.environment
            env["PATH"] = root.file("bin").path + ":/usr/sbin:/usr/bin:/sbin:/bin"
            env["LABCTL_IMDS_BASE"] = imds
            return try Shell.run("unshare", ["--user", "--map-root-user", "--mount", "/bin/sh", "-c",
                                             "mount --bind \"$1\" /etc/systemd/system && exec \"$2\"", "sh",
                                             root.file("systemd").path, DeadManSwitchScriptTests.script.path],
                                 environment: env)
        }

        /// The power-off timer the script wrote, nil when there is none.
        var timer: String? {
            try? String(contentsOf: root.file("systemd/labctl-shutdown.timer"), encoding: .utf8)
        }

        var service: String? {
            try? String(contentsOf: root.file("systemd/labctl-shutdown.service"), encoding: .utf8)
        }

        var systemctlCalls: [String] {
            ((try? String(contentsOf: root.file("systemctl.log"), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        func remove() { root.remove() }
    }

    static func timer(_ when: String) -> String {
        "[Timer]\nOnCalendar=\(when)\nPersistent=true\n[Install]\nWantedBy=timers.target\n"
    }

    /// systemd's own parser on the timer's OnCalendar=: the next (only) elapse.
    func nextElapse(_ timer: String?) throws -> String? {
        let line = try XCTUnwrap(timer?.split(separator: "\n").first { $0.hasPrefix("OnCalendar=") })
        let value = String(line.dropFirst("OnCalendar=".count))
        let cal = try Shell.run("systemd-analyze", ["calendar", "--iterations=1", value])
        XCTAssertEqual(cal.status, 0, cal.stdout + cal.stderr)
        return cal.stdout.split(separator: "\n").first { $0.contains("Next elapse:") }
            .map { String($0.split(separator: ":", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces) }
            .map { $0.split(separator: " ").dropFirst().joined(separator: " ") }
    }

    func testALaterTagReArmsTheTimerAndAnUnreadableTagKeepsTheTimeReadBefore() throws {
        let node = try Node()
        defer { node.remove() }
        let imds = try IMDSStub(tags: ["ShutdownAt": "2099-06-01T17:00:00Z", "ExpiresAt": "2099-06-01T15:00:00Z"])
        defer { imds.remove() }

        // Boot: the tag is read with an IMDSv2 token and armed.
        var r = try node.run(imds: imds.base)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(node.timer, Self.timer("2099-06-01 17:00:00 UTC"))
        XCTAssertEqual(try nextElapse(node.timer), "2099-06-01 17:00:00 UTC")
        XCTAssertEqual(node.service, "[Service]\nExecStart=/usr/bin/systemctl --no-block poweroff\n")
        XCTAssertEqual(node.systemctlCalls, ["daemon-reload", "restart labctl-shutdown.timer", "enable --now labctl-shutdown.timer"])
        XCTAssertEqual(imds.requests(), ["PUT /latest/api/token 200", "GET /latest/meta-data/tags/instance/ShutdownAt 200"])

        // Five minutes later, nothing moved: no reload, no restart; only enabled again (a root
        // participant may have stopped it).
        r = try node.run(imds: imds.base)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(node.systemctlCalls.count, 4, "\(node.systemctlCalls)")
        XCTAssertEqual(node.systemctlCalls.last, "enable --now labctl-shutdown.timer")

        // `labctl extend` retagged: the next read re-arms the timer to the later time.
        try imds.setTags(["ShutdownAt": "2099-06-02T18:30:00Z", "ExpiresAt": "2099-06-02T16:30:00Z"])
        r = try node.run(imds: imds.base)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(node.timer, Self.timer("2099-06-02 18:30:00 UTC"))
        XCTAssertEqual(try nextElapse(node.timer), "2099-06-02 18:30:00 UTC")
        XCTAssertEqual(Array(node.systemctlCalls.suffix(3)), ["daemon-reload", "restart labctl-shutdown.timer", "enable --now labctl-shutdown.timer"])
        let armedCalls = node.systemctlCalls.count

        // No tag (404), and answers that are not a time: the time read before stays, the timer untouched.
        for tags in [[:], ["ShutdownAt": "tomorrow"], ["ShutdownAt": "2099-02-30T10:00:00Z"],
                     ["ShutdownAt": "2099-06-03T25:00:00Z"], ["ShutdownAt": "<html>503 Service Unavailable</html>"],
                     ["ShutdownAt": "2099-06-03T18:30:00Z\nOnCalendar=2000-01-01"]] {
            try imds.setTags(tags)
            r = try node.run(imds: imds.base)
            XCTAssertEqual(r.status, 1, "\(tags): \(r.stdout)\(r.stderr)")
            XCTAssertTrue(r.stderr.contains("kept OnCalendar=2099-06-02 18:30:00 UTC"), "\(tags): \(r.stderr)")
            XCTAssertEqual(node.timer, Self.timer("2099-06-02 18:30:00 UTC"), "\(tags)")
            XCTAssertEqual(node.systemctlCalls.count, armedCalls, "\(tags): \(node.systemctlCalls)")
        }

        // The metadata service stops answering: kept as well.
        imds.stop()
        r = try node.run(imds: imds.base)
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("no IMDS token; kept OnCalendar=2099-06-02 18:30:00 UTC"), r.stderr)
        XCTAssertEqual(node.timer, Self.timer("2099-06-02 18:30:00 UTC"))
        XCTAssertEqual(node.systemctlCalls.count, armedCalls)
    }

    func testBShutdownAtNeverDisarmsThePowerOff() throws {
        let node = try Node()
        defer { node.remove() }
        let imds = try IMDSStub(tags: ["ShutdownAt": "2099-06-01T17:00:00Z"])
        defer { imds.remove() }
        var r = try node.run(imds: imds.base)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertNotNil(node.timer)

        // `labctl apply --no-end`: ExpiresAt and ShutdownAt say never.
        try imds.setTags(["ShutdownAt": "never", "ExpiresAt": "never"])
        r = try node.run(imds: imds.base)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertNil(node.timer, "no power-off time left")
        XCTAssertEqual(Array(node.systemctlCalls.suffix(2)), ["disable --now labctl-shutdown.timer", "daemon-reload"])
        // And it stays so: nothing to do at the next read.
        let calls = node.systemctlCalls.count
        r = try node.run(imds: imds.base)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(node.systemctlCalls.count, calls)
    }
}

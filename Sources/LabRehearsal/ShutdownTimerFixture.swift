import Foundation

/// The node side of `labctl extend` on a `LoopbackMaster`: `bin/labctl-shutdown-at`
/// stands in for the helper the bootstrap installs (systemd is not here). It checks
/// the time with the real `systemd-analyze calendar` when present and records it in
/// `shutdown-at`, which `LoopbackMaster.shutdownAt` reads back.
enum ShutdownTimerFixture {
    static func install(in directory: URL) throws {
        let record = directory.appendingPathComponent("shutdown-at").path
        let script = """
        #!/bin/sh
        # labctl rehearsal fixture: the dead-man switch helper of a node.
        set -eu
        when="${1:?usage: labctl-shutdown-at \\"YYYY-MM-DD HH:MM:SS UTC\\"}"
        if command -v systemd-analyze >/dev/null 2>&1; then
          systemd-analyze calendar "$when" >/dev/null 2>&1 || { echo "labctl-shutdown-at: not a calendar event: $when" >&2; exit 1; }
        fi
        printf '%s\\n' "$when" >'\(record)'
        echo "labctl-shutdown-at: OnCalendar=$when"

        """
        let url = directory.appendingPathComponent("bin/labctl-shutdown-at")
        try Data(script.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }
}

extension LoopbackMaster {
    /// The power-off time the last `labctl-shutdown-at` set on this master, if any.
    public var shutdownAt: String? {
        (try? String(contentsOf: directory.appendingPathComponent("shutdown-at"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

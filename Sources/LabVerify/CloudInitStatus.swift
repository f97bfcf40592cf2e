import Foundation
import LabCore

/// `cloud-init status --format json` read into a check result.
enum CloudInitStatus {
    private struct Report: Decodable {
        var status: String
        var extended_status: String?
        var stage: String?
        var errors: [String]?
        var detail: String?
    }

    static func assess(_ output: RemoteProbe.Output?) -> CheckResult {
        guard let output else { return .fail("no answer from `cloud-init status`") }
        if output.exitStatus == 127 { return .fail("cloud-init is not installed on the master (command not found)") }
        guard let report = try? JSONDecoder().decode(Report.self, from: Data(output.stdout.utf8)) else {
            let text = firstLine(output.stderr.isEmpty ? output.stdout : output.stderr)
            return .fail("`cloud-init status --format json` failed (exit \(output.exitStatus))\(text.isEmpty ? "" : ": " + text)")
        }
        switch report.status {
        case "done":
            if let ext = report.extended_status, ext.hasPrefix("degraded") { return .pass("done (\(ext))") }
            return .pass("done")
        case "running":
            return .pending("cloud-init running" + (report.stage.map { " (\($0))" } ?? ""))
        case "not run", "not started":
            return .pending("cloud-init has not started yet")
        case "error":
            let errors = report.errors ?? []
            return .fail("cloud-init error: " + (errors.first.map { firstLine($0) } ?? report.extended_status ?? "no error text")
                         + (errors.count > 1 ? " (+\(errors.count - 1) more)" : ""))
        case "disabled":
            return .fail("cloud-init is disabled on the master")
        default:
            return .fail("cloud-init status \(report.status)")
        }
    }

    static func firstLine(_ s: String) -> String {
        String(s.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "")
            .trimmingCharacters(in: .whitespaces)
    }
}

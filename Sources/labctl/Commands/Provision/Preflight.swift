import ArgumentParser
import Foundation
import LabProvision
import LabStore
import LabWorkflows

/// `labctl preflight s1 s2 … [--json]`: will the AWS account take these sessions?
struct Preflight: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the AWS account's quotas and the network's zones before deploying sessions.",
        discussion: """
        Counts what the sessions need (instances and their vCPUs, public IPv4 addresses,
        network interfaces, security groups and rules per group, key pairs, gp3 GiB) plus
        what already runs in the region, this lab's (the project's tags) and everything
        else (IN USE shows "lab+others"), and compares it with the account's quotas
        (Service Quotas: On-Demand Standard vCPUs L-1216C47A, network interfaces per
        Region L-DF5E4CA3, VPC security groups per Region, rules per security group, gp3
        storage; key pairs: AWS's documented 5,000).
        Also checks that every instance type is offered in each zone of the network.
        Reads AWS through terraform/preflight (data sources only, nothing is created),
        with the usual AWS settings (AWS_PROFILE, AWS_ENDPOINT_URL_SERVICE_QUOTAS, …).
        `labctl apply` runs this first (skip with --skip-preflight).
          labctl preflight session-1 session-2
          labctl preflight session-1 --json    # [{check, code, needed, in_use, in_use_lab, in_use_others, quota, ok, verdict, detail}]
        A quota that cannot be read is "unknown" (ok: null), never ok.
        Exit 1 when a quota would be exceeded or a type is not offered, naming the quota
        to raise and by how much; 2 when AWS could not be asked.
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "One or more sessions (sessions/<name>.tfvars).") var sessions: [String]
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let lab = global.lab
        let report = try await CapacityPreflight(try lab.openContext()).run(sessions)
        if json { try JSONOutput.print(report.checks) } else { PreflightPrinter.print(report, toStandardError: false) }
        if !report.ok { throw LabFailure.notOK(report.refusal) }
    }
}

/// The preflight's table: need / in use / quota / verdict, then what to do.
enum PreflightPrinter {
    static func print(_ report: CapacityPreflight.Report, toStandardError: Bool) {
        let color = toStandardError ? Terminal.stderrColor : Terminal.stdoutColor
        let handle = toStandardError ? FileHandle.standardError : FileHandle.standardOutput
        let dash = "-"
        let table = TextTable(header: ["CHECK", "CODE", "NEED", "IN USE (LAB+OTHERS)", "QUOTA", "VERDICT"]).render(report.checks.map { c in
            let verdict: String
            switch c.verdict {
            case .ok: verdict = Terminal.green("ok", color: color)
            case .noQuota: verdict = "no quota"
            case .unknown: verdict = Terminal.yellow("unknown", color: color)
            case .exceeded: verdict = Terminal.red("EXCEEDED", color: color)
            case .notOffered: verdict = Terminal.red("NOT OFFERED", color: color)
            }
            let inUse = c.inUse.map { total in
                c.inUseLab != nil && c.inUseOthers != nil ? "\(total) (\(c.inUseLab!)+\(c.inUseOthers!))" : String(total)
            }
            return [c.check, c.code ?? dash, c.needed.map(String.init) ?? dash, inUse ?? dash,
                    c.quota.map(String.init) ?? dash, verdict]
        })
        var text = "Capacity of \(report.region) for \(report.sessions.joined(separator: ", ")):\n" + table + "\n"
        for c in report.unknown { text += "unknown \(c.check): \(c.detail)\n" }
        handle.writeBestEffort(Data(text.utf8))
    }
}

/// What `apply` does before any Terraform run: the capacity preflight, or a note of what was skipped.
enum ApplyPreflight {
    static func require(_ sessions: [String], skip: Bool, context: LabContext) async throws {
        if skip {
            Terminal.warning("--skip-preflight: not checked for \(sessions.joined(separator: ", ")): On-Demand Standard vCPUs (L-1216C47A), network interfaces, security groups, rules per group, key pairs, gp3 storage, and whether the instance types are offered in the network's zones.")
            return
        }
        Terminal.note("preflight: checking the account's quotas for \(sessions.joined(separator: ", "))…")
        let report: CapacityPreflight.Report
        do {
            report = try await CapacityPreflight(context).run(sessions)
        } catch let e as WorkflowError {
            throw LabFailure.usage("\(e.message)\nNothing was deployed. Fix that, or pass --skip-preflight to apply without the capacity check.")
        }
        PreflightPrinter.print(report, toStandardError: true)
        if !report.ok {
            throw LabFailure.notOK(report.refusal + "\nNothing was deployed (no Terraform run started). Raise the quota or shrink the sessions, or pass --skip-preflight.")
        }
    }
}

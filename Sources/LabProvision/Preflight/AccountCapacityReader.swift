import Foundation

extension Provisioner {
    /// Reads the account's capacity through `terraform/preflight` (data sources only).
    /// Each run has its own workspace (its own state folder), removed afterwards, so
    /// preflights run side by side. A quota Service Quotas cannot answer fails its data
    /// source: it is reported as unknown and the stack runs again without it.
    public func readCapacity(_ query: CapacityQuery) async throws -> AccountCapacity {
        let stack = layout.preflightStack
        let log = layout.logFile("_preflight", verb: "preflight")
        try await ensureInitialised(stack: stack, log: log)
        let workspace = "preflight-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let runDirectory = stack.appendingPathComponent("terraform.tfstate.d/\(workspace)")
        defer { try? FileManager.default.removeItem(at: runDirectory) }
        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)

        var remaining = query
        var unknown: [String: String] = [:]
        while true {
            let varFile = runDirectory.appendingPathComponent("query.tfvars.json")
            try remaining.renderJSON().write(to: varFile)
            let run = try await TerraformProcess.runReadingStdout(
                ["apply", "-auto-approve", "-input=false", "-no-color", "-json", "-var-file=\(varFile.path)"],
                settings: settings, directory: stack, workspace: workspace, log: log)
            let status = run.status
            let messages = PreflightMessages(run.stdout)
            if status == 0, let outputs = messages.outputs {
                return try AccountCapacity.parse(outputs: outputs, unknown: unknown)
            }
            let quotaErrors = messages.quotaErrors.filter { remaining.quotas[$0.key] != nil }
            guard !quotaErrors.isEmpty, messages.errors.allSatisfy({ messages.quotaCheck($0) != nil }) else {
                let why = messages.errors.map(\.summary).first ?? "exit \(status)"
                throw ProvisionError.terraformFailed(session: "preflight", verb: "apply", status: status, log: log.path,
                                                     hint: "could not read the account's capacity: \(why)")
            }
            for (key, why) in quotaErrors {
                unknown[key] = why
                remaining.quotas.removeValue(forKey: key)
            }
        }
    }
}

extension LabLayout {
    /// The data-only stack that reads quotas, instance type data and what runs.
    public var preflightStack: URL { terraformDirectory.appendingPathComponent("preflight") }
}

/// The messages of `terraform apply -json` the preflight needs: the final outputs
/// and the error diagnostics (with the address of the data source that failed).
struct PreflightMessages {
    struct Diagnostic { var summary: String; var address: String? }
    var outputs: [String: Any]?
    var errors: [Diagnostic] = []

    init(_ text: String) {
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            switch object["type"] as? String {
            case "outputs":
                // The plan's message lists the outputs without values; the apply's has them.
                if let o = object["outputs"] as? [String: Any], o.values.contains(where: { ($0 as? [String: Any])?["value"] != nil }) {
                    outputs = o
                }
            case "diagnostic":
                guard let d = object["diagnostic"] as? [String: Any], d["severity"] as? String == "error" else { continue }
                errors.append(Diagnostic(summary: d["summary"] as? String ?? "", address: d["address"] as? String))
            default: continue
            }
        }
    }

    /// Check name → error, for the errors of `data.aws_servicequotas_service_quota.quota["<check>"]`.
    var quotaErrors: [String: String] {
        var out: [String: String] = [:]
        for e in errors { if let check = quotaCheck(e) { out[check] = e.summary } }
        return out
    }

    /// The check name when `e` is the error of one quota's data source.
    func quotaCheck(_ e: Diagnostic) -> String? {
        let prefix = "data.aws_servicequotas_service_quota.quota[\""
        guard let a = e.address, a.hasPrefix(prefix), a.hasSuffix("\"]") else { return nil }
        return String(a.dropFirst(prefix.count).dropLast(2))
    }
}

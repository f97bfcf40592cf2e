import Foundation
import LabCore
import LabProvision
import LabStore

/// `labctl preflight` and the check `apply` runs before any Terraform run: what the
/// sessions need plus what already runs in the region (this lab's and others'), against the
/// account's quotas, and whether the network's zones offer the instance types.
public struct CapacityPreflight: Sendable, LabUseCase {
    public struct Report: Sendable {
        public var sessions: [String]
        public var region: String
        public var checks: [CapacityCheck]
        public var failing: [CapacityCheck] { checks.filter(\.fails) }
        public var unknown: [CapacityCheck] { checks.filter { $0.verdict == .unknown } }
        public var ok: Bool { failing.isEmpty }

        /// The refusal: every failing check with what to raise or change.
        public var refusal: String {
            "The AWS account cannot take \(sessions.joined(separator: ", ")) in \(region):\n"
                + failing.map { "  - \($0.check): \($0.detail)" }.joined(separator: "\n")
        }
    }

    public let context: LabContext
    public init(_ context: LabContext) { self.context = context }

    public func run(_ sessions: [String]) async throws -> Report {
        // "This lab" is what carries our LabId (in S3 mode the bucket's, read before any is made).
        let labID = try await LabIdentity(context).resolve()
        let demands = try sessions.map { try SessionDemand.of($0, files: files, registry: registry) }
        guard let first = demands.first else { throw WorkflowError.usage("Name at least one session to check, e.g. `labctl preflight session-1`.") }
        let groups = Set(demands.map { "\($0.region) / project \($0.project) / network \($0.networkName)" })
        if groups.count > 1 {
            throw WorkflowError.usage("The sessions \(sessions.joined(separator: ", ")) live in different places (\(groups.sorted().joined(separator: "; "))): run `labctl preflight` once per region, project and network.")
        }
        // Group what already runs by every type and size the lab's sessions use (one call each).
        var types = Set(demands.flatMap(\.instancesByType.keys)), sizes = Set(demands.map(\.rootVolumeGiB))
        for other in files.configuredSessions() {
            guard let c = try? files.sessionConfig(other), c.region == first.region else { continue }
            types.formUnion([c.masterInstanceType, c.workerInstanceType])
            sizes.insert(c.values["root_volume_size"]?.intValue ?? 30)
        }
        var query = CapacityQuery(region: first.region, project: first.project, networkName: first.networkName, sessions: sessions,
                                  instanceTypes: types.sorted(), volumeSizes: sizes.sorted(), quotas: QuotaCatalog.query)
        query.labID = labID.value
        let account: AccountCapacity
        do { account = try await provisioner.readCapacity(query) } catch let e as ProvisionError {
            throw WorkflowError.usage(e.description)
        }
        return Report(sessions: sessions, region: first.region, checks: Self.compare(demands, account, region: first.region))
    }

    /// The checks, from the demands and what the account reported. What already runs is
    /// counted for the whole region (the quotas are the region's), shown as this lab and others.
    static func compare(_ demands: [SessionDemand], _ account: AccountCapacity, region: String) -> [CapacityCheck] {
        var byType: [String: Int] = [:]
        for d in demands { byType.merge(d.instancesByType, uniquingKeysWith: +) }
        let instances = byType.values.reduce(0, +)
        let lab = account.lab, others = account.others
        let clusters = demands.map(\.clusters).reduce(0, +)
        var checks: [CapacityCheck] = []

        func vcpus(_ counts: [String: Int]) -> Int? {
            var total = 0
            for (t, n) in counts where QuotaCatalog.isStandardFamily(t) && n > 0 {
                guard let v = account.vcpus[t] else { return nil }
                total += n * v
            }
            return total
        }
        func count(_ group: AccountCapacity.InUse) -> Int { group.instancesByType.values.reduce(0, +) }
        let running = byType.merging(lab.instancesByType, uniquingKeysWith: +).merging(others.instancesByType, uniquingKeysWith: +)
        checks.append(quotaCheck(QuotaCatalog.vcpus, needed: vcpus(byType), lab: vcpus(lab.instancesByType), others: vcpus(others.instancesByType),
                                 account: account, region: region,
                                 source: "vCPUs per type from the EC2 instance type data: " + running.keys.sorted().map { "\($0) \(account.vcpus[$0].map(String.init) ?? "?")" }.joined(separator: ", ")))
        for t in byType.keys.sorted() where !QuotaCatalog.isStandardFamily(t) {
            checks.append(CapacityCheck(check: "vcpus-\(t)", code: nil, needed: account.vcpus[t].map { $0 * byType[t]! }, inUse: nil, quota: nil,
                                        verdict: .unknown, detail: "\(t) is not an On-Demand Standard family; preflight does not read its quota: check it in the Service Quotas console."))
        }
        checks.append(CapacityCheck(check: "instances", code: nil, needed: instances, inUse: count(lab) + count(others),
                                    inUseLab: count(lab), inUseOthers: count(others), quota: nil, verdict: .noQuota,
                                    detail: "limited by the vCPU quota"))
        checks.append(CapacityCheck(check: "public-ipv4", code: nil, needed: instances, inUse: count(lab), inUseLab: count(lab), quota: nil, verdict: .noQuota,
                                    detail: "one auto-assigned address per node; no quota (not Elastic IPs), billed per hour"))
        checks.append(quotaCheck(QuotaCatalog.networkInterfaces, needed: instances, lab: nil, others: account.networkInterfacesInUse,
                                 account: account, region: region, source: "one per node; in use: every interface in the region"))
        checks.append(quotaCheck(QuotaCatalog.securityGroups, needed: clusters, lab: lab.securityGroups, others: others.securityGroups,
                                 account: account, region: region, source: "one per cluster"))
        checks.append(quotaCheck(QuotaCatalog.rulesPerGroup, needed: demands.map(\.ingressRulesPerGroup).max() ?? 0, lab: nil, others: nil, account: account,
                                 region: region, source: "inbound rules of one cluster's group (SSH, API and NodePort sources + intra-cluster)"))
        checks.append(quotaCheck(QuotaCatalog.keyPairs, needed: clusters, lab: lab.securityGroups, others: nil, account: account, region: region,
                                 source: "one per cluster; in use counted from this lab's running clusters' security groups (others' key pairs are not counted)"))
        checks.append(quotaCheck(QuotaCatalog.gp3Storage, needed: demands.map(\.gp3GiB).reduce(0, +), lab: lab.gp3GiB, others: others.gp3GiB,
                                 account: account, region: region, source: "one gp3 root volume per node"))
        checks.append(addressCheck(nodes: instances, demands: demands, account: account, region: region))
        checks += offeringChecks(types: byType.keys.sorted(), demands: demands, account: account, region: region)
        return checks
    }

    /// Whether the network's subnets have an address for every node. Clusters are spread over
    /// the subnets by a hash of the participant (stable placement), so about an even share lands
    /// in each: the fullest subnet decides how many nodes fit.
    static func addressCheck(nodes: Int, demands: [SessionDemand], account: AccountCapacity, region: String) -> CapacityCheck {
        let network = demands.first?.networkName ?? "labctl"
        var row = CapacityCheck(check: "subnet-addresses", code: nil, needed: nodes, inUse: nil, quota: nil, verdict: .unknown, detail: "")
        guard !account.freeAddresses.isEmpty else {
            row.detail = "the network \"\(network)\" was not found in \(region): run `labctl network apply` first."
            return row
        }
        let subnets = account.freeAddresses.count
        let fit = (account.freeAddresses.values.min() ?? 0) * subnets
        row.quota = fit
        let zones = account.freeAddresses.keys.sorted().map { "\($0) \(account.freeAddresses[$0]!)" }.joined(separator: ", ")
        if nodes <= fit {
            row.verdict = .ok
            row.detail = "free addresses per zone: \(zones)"
        } else {
            row.verdict = .exceeded
            row.detail = "\(nodes) nodes need an address each, but the \(subnets) subnet(s) of network \"\(network)\" fit about \(fit) (free: \(zones)): "
                + "add zones (`availability_zones` in network.tfvars, then `labctl network apply`) or apply fewer participants."
        }
        return row
    }

    /// `lab` and `others`: what runs under this lab's tags and the rest of the region (nil: not counted).
    static func quotaCheck(_ entry: QuotaCatalog.Entry, needed: Int?, lab: Int?, others: Int?, account: AccountCapacity, region: String,
                           source: String) -> CapacityCheck {
        let inUse: Int? = lab == nil && others == nil ? nil : (lab ?? 0) + (others ?? 0)
        var row = CapacityCheck(check: entry.check, code: entry.code, needed: needed, inUse: inUse, inUseLab: lab, inUseOthers: others,
                                quota: nil, verdict: .unknown, detail: source)
        if let q = account.quotas[entry.check] {
            row.quota = Int(q.value) * entry.gibPerUnit
        } else if let documented = entry.documentedDefault {
            row.quota = documented
        }
        guard let quota = row.quota else {
            let why = account.unknownQuotas[entry.check].map { ": \($0)" } ?? ""
            row.detail = "\(entry.title) (\(entry.code ?? "-")) could not be read\(why); check it in the Service Quotas console before class."
            return row
        }
        guard let needed else {
            row.detail = "the vCPUs of an instance type are unknown; \(source)"
            return row
        }
        let total = needed + (inUse ?? 0)
        if total <= quota {
            row.verdict = .ok
            return row
        }
        row.verdict = .exceeded
        let shortBy = total - quota
        let parts = [lab.map { "\($0) this lab" }, others.map { "\($0) others" }].compactMap { $0 }.joined(separator: ", ")
        let used = inUse.map { " + \($0) in use (\(parts)) = \(total)" } ?? ""
        let unit = entry.gibPerUnit > 1 ? " GiB" : ""
        if let service = entry.serviceCode, let code = entry.quotaCode {
            let desired = (total + entry.gibPerUnit - 1) / entry.gibPerUnit
            row.detail = "need \(needed)\(used)\(unit), quota \"\(entry.title)\" (\(service)/\(code)) is \(quota)\(unit): raise it by \(shortBy)\(unit) to at least \(total)\(unit) "
                + "(`aws service-quotas request-service-quota-increase --region \(region) --service-code \(service) --quota-code \(code) --desired-value \(desired)`), or apply fewer participants."
        } else {
            row.detail = "need \(needed)\(used), \"\(entry.title)\" is \(quota): \(shortBy) over; remove unused ones or split the class across regions."
        }
        return row
    }

    static func offeringChecks(types: [String], demands: [SessionDemand], account: AccountCapacity, region: String) -> [CapacityCheck] {
        let network = demands.first?.networkName ?? "labctl"
        return types.map { t in
            var row = CapacityCheck(check: "offered \(t)", code: nil, needed: account.zones.count, inUse: nil, quota: nil, verdict: .unknown, detail: "")
            guard !account.zones.isEmpty else {
                row.detail = "the network \"\(network)\" was not found in \(region): run `labctl network apply` first."
                return row
            }
            let offered = Set(account.offerings[t] ?? [])
            let missing = account.zones.filter { !offered.contains($0) }
            row.quota = account.zones.count - missing.count
            if missing.isEmpty {
                row.verdict = .ok
                row.detail = "offered in \(account.zones.joined(separator: ", "))"
            } else {
                let users = demands.filter { $0.instancesByType[t] != nil }.map(\.session)
                row.verdict = .notOffered
                row.detail = "\(t) is not offered in \(missing.joined(separator: ", ")) (a zone of network \"\(network)\"): pick another master_instance_type/worker_instance_type in "
                    + users.map { "sessions/\($0).tfvars" }.joined(separator: ", ") + ", or rebuild the network in zones that offer it."
            }
            return row
        }
    }
}

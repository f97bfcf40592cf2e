import Foundation
import LabCore
import LabProvision
import LabStore

/// `labctl sweep`: every resource in the sessions' regions tagged with the project, not
/// another lab's (LabId) (Resource Groups Tagging API, read by the data-only stack terraform/sweep) that
/// belongs to no registered session, that no Terraform state knows (a crashed apply,
/// a lost state, a volume or load balancer made from inside a cluster), or whose
/// `ExpiresAt` + grace has passed. Grouped by session, priced with the cost model's
/// price table, each with the exact command that deletes it. Deletes nothing.
public struct SweepOrphans: Sendable, LabUseCase {
    public enum Reason: String, Sendable, Encodable {
        case noSessionTag = "no_session_tag"
        case unregisteredSession = "unregistered_session"
        case unknownToTerraform = "unknown_to_terraform"
        case expired
    }

    public struct Resource: Sendable, Encodable, Equatable {
        public var arn: String
        public var id: String
        public var kind: String
        public var region: String
        public var session: String?
        public var reasons: [Reason]
        public var expires_at: String?
        /// nil: not priced (a kind the price table does not cover).
        public var hourly_usd: Double?
        public var delete_command: String
    }

    public struct Group: Sendable, Encodable, Equatable {
        /// The Session tag, or "(none)".
        public var session: String
        public var hourly_usd: Double
        public var resources: [Resource]
    }

    public struct Outcome: Sendable {
        public var groups: [Group]
        /// (region, project) pairs swept.
        public var scopes: [String]
        /// Resources with the project tag that are accounted for.
        public var accountedFor: Int
        public var notes: [String]
        public var found: Bool { !groups.isEmpty }
    }

    public let context: LabContext
    public let prices: PriceTable

    public init(_ context: LabContext, prices: PriceTable = .euWest1) {
        self.context = context
        self.prices = prices
    }

    public static let defaultProject = "k8s-training"

    public func run(now: Date = Date(), grace: TimeInterval = SessionLifetime.defaultGrace) async throws -> Outcome {
        var scopes = Set<Scope>()
        for s in files.configuredSessions() {
            guard let c = try? files.sessionConfig(s) else { continue }
            scopes.insert(Scope(region: c.region, project: c.values["project"]?.stringValue ?? Self.defaultProject))
        }
        if scopes.isEmpty { scopes.insert(Scope(region: "eu-west-1", project: Self.defaultProject)) }

        let registered = Set(try registry.sessions().map(\.name)).union(files.configuredSessions())
        var notes: [String] = []
        let known = knownIDs(&notes)
        var found: [Resource] = []
        var accounted = 0
        // Only this lab's resources: another lab in the account may use the same project and session names.
        let lab = try await LabIdentity(context).resolve()
        for scope in scopes.sorted(by: { ($0.region, $0.project) < ($1.region, $1.project) }) {
            let read = try await readTagged(scope)
            for r in read.resources {
                // Another lab's (its LabId is not ours): not this lab's business, however it is named.
                // Without a LabId (made before labs had ids, or from inside a cluster) it is still listed.
                if let owner = r.tags["LabId"], owner != lab.value { continue }
                let id = Self.id(of: r.arn)
                let kind = Self.kind(of: r.arn)
                if kind == "instance", let i = read.instances[id], ["terminated", "shutting-down"].contains(i.state) { continue }
                let session = r.tags["Session"]
                var reasons: [Reason] = []
                let unknown = known.map { !$0.contains(id) && !$0.contains(r.arn) }
                if let session {
                    if !registered.contains(session) { reasons.append(.unregisteredSession) }
                } else if unknown ?? (r.tags["Network"] == nil) {
                    // The network stack's resources carry no Session tag; anything else without one is lost.
                    reasons.append(.noSessionTag)
                }
                if unknown == true { reasons.append(.unknownToTerraform) }
                if let e = r.tags["ExpiresAt"], let end = SessionEnd.parse(e), end.date.addingTimeInterval(grace) < now { reasons.append(.expired) }
                guard !reasons.isEmpty else { accounted += 1; continue }
                found.append(Resource(arn: r.arn, id: id, kind: kind, region: scope.region, session: session, reasons: reasons,
                                      expires_at: r.tags["ExpiresAt"], hourly_usd: price(kind: kind, id: id, read: read),
                                      delete_command: Self.deleteCommand(kind: kind, id: id, arn: r.arn, region: scope.region)))
            }
        }
        let groups = Dictionary(grouping: found) { $0.session ?? "(none)" }.map { session, items in
            Group(session: session, hourly_usd: items.compactMap(\.hourly_usd).reduce(0, +), resources: items.sorted { $0.arn < $1.arn })
        }.sorted { $0.session < $1.session }
        return Outcome(groups: groups, scopes: scopes.map { "\($0.region) Project=\($0.project)" }.sorted(), accountedFor: accounted, notes: notes)
    }

    struct Scope: Hashable { var region: String; var project: String }

    struct Tagged: Decodable { var arn: String; var tags: [String: String] }
    struct InstanceInfo: Decodable { var type: String; var state: String; var public_ip: String? }
    struct VolumeInfo: Decodable { var size: Int; var type: String }
    struct Read { var resources: [Tagged]; var instances: [String: InstanceInfo]; var volumes: [String: VolumeInfo] }

    /// Runs the data-only stack with its own local state per scope under `.labctl/sweep/`.
    func readTagged(_ scope: Scope) async throws -> Read {
        let layout = provisioner.layout
        let stack = layout.terraformDirectory.appendingPathComponent("sweep")
        guard FileManager.default.fileExists(atPath: stack.appendingPathComponent("main.tf").path) else {
            throw WorkflowError.usage("\(files.display(stack))/main.tf is missing: copy terraform/ (sweep/ links to shared/) from the labctl repository into the lab.")
        }
        let log = layout.logFile("_sweep", verb: "sweep")
        try await provisioner.ensureInitialised(stack: stack, log: log)
        let state = layout.labctlDirectory.appendingPathComponent("sweep/\(scope.region)-\(scope.project).tfstate")
        try FileManager.default.createDirectory(at: state.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let settings = provisioner.settings
        var status = try await TerraformProcess.run(
            ["apply", "-input=false", "-no-color", "-auto-approve", "-state=\(state.path)",
             "-var=region=\(scope.region)", "-var=project=\(scope.project)"],
            settings: settings, directory: stack, workspace: nil, log: log)
        guard status == 0 else {
            throw WorkflowError.usage("reading the tagged resources of \(scope.region) failed (terraform exit \(status)); see \(files.display(log)). The credentials need tag:GetResources, ec2:DescribeInstances and ec2:DescribeVolumes.")
        }
        let output = try await TerraformProcess.runReadingStdout(["output", "-json", "-no-color", "-state=\(state.path)"],
                                                                 settings: settings, directory: stack, workspace: nil, log: log)
        guard output.status == 0 else {
            throw WorkflowError.usage("terraform output of the sweep stack failed\(output.problem.map { ": \($0)" } ?? ""); see \(files.display(log)).")
        }
        struct Outputs: Decodable {
            struct Value<T: Decodable>: Decodable { var value: T }
            var resources: Value<[Tagged]>
            var instances: Value<[String: InstanceInfo]>
            var volumes: Value<[String: VolumeInfo]>
        }
        let o = try JSONDecoder().decode(Outputs.self, from: Data(output.stdout.utf8))
        return Read(resources: o.resources.value, instances: o.instances.value, volumes: o.volumes.value)
    }

    /// Every id and ARN in the local Terraform states (sessions and network); nil for a
    /// remote (S3) backend, where this check is skipped.
    func knownIDs(_ notes: inout [String]) -> Set<String>? {
        let layout = provisioner.layout
        if layout.usesS3Backend {
            notes.append("S3 backend: resources are not compared with the Terraform states, only with the registry and ExpiresAt.")
            return nil
        }
        var urls = provisioner.workspaces().map { layout.localState($0) }
        urls.append(layout.networkStack.appendingPathComponent("terraform.tfstate"))
        var ids = Set<String>()
        for url in urls {
            guard let data = FileManager.default.contents(atPath: url.path),
                  let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let resources = json["resources"] as? [[String: Any]] else { continue }
            for r in resources where r["mode"] as? String == "managed" {
                for i in (r["instances"] as? [[String: Any]]) ?? [] { Self.collectStrings(i["attributes"], into: &ids) }
            }
        }
        return ids
    }

    static func collectStrings(_ value: Any?, into set: inout Set<String>) {
        switch value {
        case let s as String: if s.count < 200 { set.insert(s) }
        case let d as [String: Any]: for v in d.values { collectStrings(v, into: &set) }
        case let a as [Any]: for v in a { collectStrings(v, into: &set) }
        default: break
        }
    }

    func price(kind: String, id: String, read: Read) -> Double? {
        switch kind {
        case "instance":
            guard let i = read.instances[id] else { return nil }
            guard i.state == "running" || i.state == "pending" else { return 0 }
            let ip = (i.public_ip ?? "").isEmpty ? 0 : prices.publicIPv4Hour
            return prices.instances[i.type].map { $0 + ip }
        case "volume":
            guard let v = read.volumes[id] else { return nil }
            return Double(v.size) * prices.gp3GBMonth / CostModel.hoursPerMonth
        case "natgateway": return prices.natGatewayHour
        case "security-group", "subnet", "vpc", "route-table", "internet-gateway", "network-interface", "budget", "schedule-group": return 0
        default: return nil
        }
    }

    /// `arn:aws:ec2:eu-west-1:123:instance/i-0abc` → `i-0abc`.
    static func id(of arn: String) -> String {
        let resource = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).last.map(String.init) ?? arn
        return resource.split(separator: "/").last.map(String.init) ?? resource
    }

    /// `instance`, `volume`, `security-group`, `loadbalancer`, … (the ARN's resource type).
    static func kind(of arn: String) -> String {
        let resource = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).last.map(String.init) ?? ""
        return resource.split(separator: "/").first.map(String.init) ?? resource
    }

    static func deleteCommand(kind: String, id: String, arn: String, region: String) -> String {
        switch kind {
        case "instance": return "aws ec2 terminate-instances --region \(region) --instance-ids \(id)"
        case "volume": return "aws ec2 delete-volume --region \(region) --volume-id \(id)"
        case "security-group": return "aws ec2 delete-security-group --region \(region) --group-id \(id)"
        case "network-interface": return "aws ec2 delete-network-interface --region \(region) --network-interface-id \(id)"
        case "snapshot": return "aws ec2 delete-snapshot --region \(region) --snapshot-id \(id)"
        case "natgateway": return "aws ec2 delete-nat-gateway --region \(region) --nat-gateway-id \(id)"
        case "loadbalancer": return "aws elbv2 delete-load-balancer --region \(region) --load-balancer-arn \(arn)"
        case "subnet": return "aws ec2 delete-subnet --region \(region) --subnet-id \(id)"
        case "vpc": return "aws ec2 delete-vpc --region \(region) --vpc-id \(id)"
        case "budget": // a session's AWS Budget: account-wide, its ARN names the account
            let account = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).dropFirst(4).first.map(String.init) ?? ""
            return "aws budgets delete-budget --account-id \(account) --budget-name \(id)"
        // A session's backstop schedules (terraform/session/backstop.tf): deleting the group deletes them.
        case "schedule-group": return "aws scheduler delete-schedule-group --region \(region) --name \(id)"
        default: return "aws resourcegroupstaggingapi get-resources --region \(region) --resource-arn-list \(arn)  # then delete it with its service's own command"
        }
    }
}

import ArgumentParser
import Foundation
import LabProvision
import LabWorkflows

/// `labctl network …`: the VPC every session shares.
struct Network: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Plan, apply, destroy or show the shared network (VPC, public subnets, internet gateway; no NAT).",
        discussion: """
        Apply it once before the first session; sessions find it by tags.
          labctl network apply -y
          labctl network status
        Optional variables: network.tfvars in the lab root (vpc_cidr, availability_zones, region).
        """,
        subcommands: [NetworkPlan.self, NetworkApply.self, NetworkDestroy.self, NetworkStatus.self]
    )
}

struct NetworkPlan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "Show what would change in the shared network.")
    @OptionGroup var global: GlobalOptions
    func run() async throws { try await NetworkVerb.run(.plan, lab: global.lab) }
}

struct NetworkApply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apply", abstract: "Create or update the shared network.")
    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.") var yes = false
    func run() async throws {
        if !yes { try Confirm.ask("Create or update the shared network?", expect: "yes") }
        try await NetworkVerb.run(.apply, lab: global.lab)
    }
}

struct NetworkDestroy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "destroy", abstract: "Destroy the shared network (destroy every session first).")
    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.") var yes = false
    func run() async throws {
        let lab = global.lab
        try await SharedNetwork.requireNoSessions(lab.provisioner())
        if !yes { try Confirm.ask("Destroy the shared network?", expect: "network") }
        try await NetworkVerb.run(.destroy, lab: lab)
    }
}

struct NetworkStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show whether the shared network is deployed.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON ({lab_id, deployed, resources}).") var json = false

    struct Row: Encodable { var lab_id: String; var deployed: Bool; var resources: Int }

    func run() async throws {
        let context = try global.lab.openContext()
        // The lab's identity (LabId tag on everything it makes), made on first use.
        let id = try await LabIdentity(context).resolve()
        let state = try await context.provisioner.readNetworkState()
        let row = Row(lab_id: id.value, deployed: (state?.resourceCount ?? 0) > 0, resources: state?.resourceCount ?? 0)
        if json { return try JSONOutput.print(row) }
        print("lab: \(row.lab_id)")
        print(row.deployed ? "network: deployed (\(row.resources) resources)" : "network: not deployed — run `labctl network apply`.")
        if !row.deployed { throw LabFailure.silentNotOK }
    }
}

enum NetworkVerb {
    static func run(_ verb: Provisioner.Verb, lab: Lab) async throws {
        Interrupts.installForwarding()
        let gate = ProgressGate(everyChange: Terminal.stderrIsTerminal)
        let r = try await LabNetwork(try lab.openContext()).run(verb) { if gate.shouldPrint($0) { Terminal.note("[network] \($0.line)") } }
        guard r.succeeded else {
            throw LabFailure.notOK("network \(verb.rawValue) failed\(r.progress.errors.first.map { ": " + $0 } ?? ""); log: \(lab.display(r.log))")
        }
        print("\(Terminal.green(Terminal.ok)) network \(verb.rawValue): \(r.progress.summary ?? "done") (\(String(format: "%.1f", r.elapsed)) s)")
    }
}

import Foundation
import LabProvision
import LabStore

/// The lab a use case works on: its registry, its files and the Terraform runner for
/// its stacks. Built once per process — by labctl from `--root`/`--db`, by `LabServer`
/// from its registry and lab root, by tests from their lab folder — and handed to every
/// use case, so that the files and Terraform always agree on the root.
public struct LabContext: Sendable {
    public let registry: Registry
    public let files: LabFiles
    public let provisioner: Provisioner

    /// The lab at `root`; Terraform runs with `terraform` (the environment's settings by default).
    public init(registry: Registry, root: URL, terraform: TerraformSettings = .fromEnvironment()) {
        self.registry = registry
        files = LabFiles(root: root)
        provisioner = Provisioner(layout: LabLayout(root: root), settings: terraform)
    }
}

/// A use case that works on one lab: `registry`, `files` and `provisioner` are its context's.
public protocol LabUseCase {
    var context: LabContext { get }
}

extension LabUseCase {
    public var registry: Registry { context.registry }
    public var files: LabFiles { context.files }
    public var provisioner: Provisioner { context.provisioner }
}

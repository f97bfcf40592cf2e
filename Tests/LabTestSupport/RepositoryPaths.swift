import Foundation

/// Paths inside this repository, for tests that copy `terraform/` or read fixtures.
public enum RepositoryPaths {
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static var terraform: URL { root.appendingPathComponent("terraform") }
    public static var fixtures: URL { root.appendingPathComponent("Tests/Fixtures") }
    public static var motoAMIs: URL { root.appendingPathComponent("Tests/terraform-fixtures/moto-amis.json") }
    public static var mailTemplates: URL { root.appendingPathComponent("mail-templates") }
    /// Python helpers the tests run (SMTP sink, .eml parser, CSV reader).
    public static func tool(_ name: String) -> URL { root.appendingPathComponent("Tests/tools").appendingPathComponent(name) }

    /// Copies `terraform/` into a lab directory without any local state or init leftovers.
    public static func copyTerraform(to lab: URL) throws {
        let target = lab.appendingPathComponent("terraform")
        let r = try Shell.run("/bin/sh", ["-c", """
            cp -R '\(terraform.path)' '\(target.path)' && \
            find '\(target.path)' \\( -name .terraform -o -name terraform.tfstate.d \\) -prune -exec rm -rf {} + ; \
            find '\(target.path)' \\( -name '*.tfstate' -o -name '*.tfstate.backup' -o -name '.terraform.lock.hcl' -o -name '*_override.tf' -o -name 'backend.s3.hcl' \\) -exec rm -f {} +
            """])
        guard r.status == 0 else { throw TestSupportError("copying terraform/ failed: \(r.stderr)") }
    }
}

import Foundation

/// Terraform's own plan of a session as labctl renders it (after `labctl plan <session>`
/// has written the var file): `terraform plan -out` + `terraform show -json` in the lab's
/// copy of the session stack, so tests read what Terraform itself would change.
public enum TerraformPlanJSON {
    /// `resource_changes` of the plan, as Terraform writes them.
    public static func resourceChanges(lab: URL, session: String, environment: [String: String]) throws -> [[String: Any]] {
        let env = environment.merging(["TF_WORKSPACE": session, "TF_IN_AUTOMATION": "1"]) { _, b in b }
        let stack = lab.appendingPathComponent("terraform/session")
        let planFile = lab.appendingPathComponent("test-plan-\(session).tfplan")
        defer { try? FileManager.default.removeItem(at: planFile) }
        let planned = try Shell.run("terraform", ["plan", "-input=false", "-no-color", "-out=\(planFile.path)",
                                                  "-var-file=\(lab.appendingPathComponent("sessions/\(session).tfvars").path)",
                                                  "-var-file=\(lab.appendingPathComponent(".labctl/vars/\(session).tfvars.json").path)"],
                                    environment: env, directory: stack)
        guard planned.status == 0 else { throw TestSupportError("terraform plan of \(session) failed: \(planned.stdout)\(planned.stderr)") }
        let shown = try Shell.run("terraform", ["show", "-json", planFile.path], environment: env, directory: stack)
        guard shown.status == 0, let root = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any] else {
            throw TestSupportError("terraform show -json of \(session) failed: \(shown.stderr)")
        }
        return root["resource_changes"] as? [[String: Any]] ?? []
    }
}

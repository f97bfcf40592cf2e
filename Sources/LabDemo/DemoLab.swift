import Foundation
import LabWorkflows

/// The demo's own lab directory: a copy of the checkout's Terraform code and mail
/// templates, empty sessions/ and participants/, and `.labctl/` (0700) for its database.
public enum DemoLab {
    public static func create(at requested: String?, from source: URL) throws -> URL {
        let fm = FileManager.default
        let lab: URL
        if let requested {
            lab = URL(fileURLWithPath: requested, relativeTo: URL(fileURLWithPath: fm.currentDirectoryPath)).standardizedFileURL
            if let entries = try? fm.contentsOfDirectory(atPath: lab.path), !entries.isEmpty {
                throw WorkflowError.usage("--dir \(lab.path) is not empty; the demo needs a fresh lab directory. Pick a new path or remove that one.")
            }
        } else {
            lab = fm.temporaryDirectory.appendingPathComponent("labctl-demo-\(UUID().uuidString.prefix(8).lowercased())")
        }
        try fm.createDirectory(at: lab, withIntermediateDirectories: true)
        for sub in ["sessions", "participants"] {
            try fm.createDirectory(at: lab.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try fm.createDirectory(at: lab.appendingPathComponent(".labctl"), withIntermediateDirectories: true,
                               attributes: [.posixPermissions: 0o700])
        try copyTree(source.appendingPathComponent("terraform"), to: lab.appendingPathComponent("terraform"))
        try copyTree(source.appendingPathComponent("mail-templates"), to: lab.appendingPathComponent("mail-templates"))
        try EmulatedImages.json.write(to: amisFile(lab), atomically: true, encoding: .utf8)
        return lab
    }

    static func amisFile(_ lab: URL) -> URL { lab.appendingPathComponent(".labctl/emulator-amis.json") }

    /// Copies Terraform code without the checkout's own state, plugins, lock or override files.
    private static func copyTree(_ from: URL, to: URL) throws {
        let fm = FileManager.default
        let skipped: Set<String> = [".terraform", "terraform.tfstate.d", "terraform.tfstate", "terraform.tfstate.backup",
                                    ".terraform.lock.hcl", "backend.s3.hcl"]
        try fm.createDirectory(at: to, withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: from.path) where !skipped.contains(name) && !name.hasSuffix("_override.tf") {
            let item = from.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            fm.fileExists(atPath: item.path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                try copyTree(item, to: to.appendingPathComponent(name))
            } else {
                try fm.copyItem(at: item, to: to.appendingPathComponent(name))
            }
        }
    }
}

/// The Ubuntu image the emulator offers to the session stack's AMI lookup
/// (moto serves what `MOTO_AMIS_PATH` lists). No `creation_date`: moto would
/// otherwise fail to sort the lookup's result.
enum EmulatedImages {
    static let amiID = "ami-0d3e0ce1a2b3c4d5e"
    static let json = """
    [
      {
        "ami_id": "\(amiID)",
        "name": "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250115",
        "description": "Canonical, Ubuntu, 24.04, amd64 noble image (emulated for labctl demo)",
        "owner_id": "099720109477",
        "public": true,
        "state": "available",
        "image_location": "amazon/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250115",
        "image_type": "machine",
        "architecture": "x86_64",
        "platform": null,
        "root_device_type": "ebs",
        "root_device_name": "/dev/sda1",
        "virtualization_type": "hvm",
        "hypervisor": "xen",
        "sriov": "simple"
      }
    ]
    """
}

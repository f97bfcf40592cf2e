import Foundation
import LabStore

extension TestLab {
    /// The lab's id (`lab-…`, the LabId tag), which labctl made on the lab's first apply.
    public func labID() throws -> String {
        guard let id = try registry().labID() else { throw TestSupportError("the lab has no id yet: apply something first") }
        return id.value
    }

    /// A lab folder that uses `other`'s AWS emulator (one moto for two labs, as two labs of one
    /// account): `terraform/` copied in, the emulator's environment taken over. `other` stops it.
    public static func sharingEmulator(of other: TestLab, prefix: String) throws -> TestLab {
        let lab = try TestLab(prefix, moto: false)
        do {
            try FileManager.default.removeItem(at: lab.file("terraform"))
            try RepositoryPaths.copyTerraform(to: lab.url)
            lab.env = other.env
        } catch {
            lab.remove()
            throw error
        }
        return lab
    }
}

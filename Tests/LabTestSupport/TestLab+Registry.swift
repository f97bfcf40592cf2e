import Foundation
import LabCore
import LabStore

/// Building a lab in-process, for tests that call the use cases or the registry directly
/// instead of running the binary.
extension TestLab {
    /// `sessions/<name>.tfvars` written by hand: `session_name` and then `tfvars`.
    @discardableResult
    public func writeSession(_ name: String, _ tfvars: String = "") throws -> URL {
        try write("sessions/\(name).tfvars", "session_name = \"\(name)\"\n" + tfvars)
    }

    /// Registers `name` in `session` (through `registry`, else a newly opened one) with a
    /// fresh ed25519 key from ssh-keygen, kept in `keys` like `addParticipant`'s.
    @discardableResult
    public func register(_ name: String, in session: String, registry: Registry? = nil, displayName: String? = nil,
                         email: String? = nil, comment: String = "laptop") throws -> (participant: Participant, key: KeyGen.Pair) {
        try FileManager.default.createDirectory(at: file("keys"), withIntermediateDirectories: true)
        let pair = try KeyGen.generate(in: file("keys"), name: "\(session)-\(name)", comment: comment)
        let outcome = try (registry ?? self.registry()).register(
            session: session, name: try ParticipantName(canonical: name), displayName: displayName, email: email,
            key: try PublicKeyParser.parse(pair.publicLine), via: .cli)
        keys["\(session)/\(name)"] = pair
        return (outcome.participant, pair)
    }
}

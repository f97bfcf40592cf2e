import Foundation
import LabCore
import LabProvision
import LabStore

/// The lab's identity (`LabID`, issue 27.5): made once, on the lab's first use, and kept in
/// the registry. In S3 mode two trainers share one lab through the bucket: the network's
/// state there records the id (terraform/network output `lab_id`), so a registry without
/// an id takes the bucket's before it would make a new one.
public struct LabIdentity: Sendable, LabUseCase {
    public let context: LabContext
    public init(_ context: LabContext) { self.context = context }

    /// The lab's id, made (or, in S3 mode, read from the bucket) when the registry has none.
    public func resolve() async throws -> LabID {
        if let id = try registry.labID() { return id }
        if provisioner.layout.usesS3Backend, let shared = try await bucketID() {
            return try registry.ensureLabID { shared }
        }
        return try registry.ensureLabID()
    }

    /// The id the network's state in the bucket records; nil when there is no state or it
    /// records none (a network built before labs had ids).
    public func bucketID() async throws -> LabID? {
        guard let data = try await provisioner.pullNetworkState() else { return nil }
        return Self.recordedID(inState: data)
    }

    static func recordedID(inState data: Data) -> LabID? {
        let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        let output = (json?["outputs"] as? [String: Any])?["lab_id"] as? [String: Any]
        return (output?["value"] as? String).flatMap(LabID.init)
    }

    /// Before a network run in S3 mode: the bucket's network must be this lab's, or the
    /// two trainers' registries disagree and every lookup of one would miss the other's.
    public func requireBucketAgrees(with id: LabID) async throws {
        guard provisioner.layout.usesS3Backend, let shared = try await bucketID(), shared != id else { return }
        throw WorkflowError.usage("the network in the S3 bucket belongs to lab \(shared), but this registry (\(registry.path)) is lab \(id): two registries of one bucket disagree. Use the registry of the lab that built the network (--db / LABCTL_DB), or give this lab its own backend key in terraform/backend.s3.hcl.")
    }
}

/// `labctl network …` with the lab's id: the network is tagged with it (and, in S3 mode,
/// records it in its state for the lab's other trainers).
public struct LabNetwork: Sendable, LabUseCase {
    public let context: LabContext
    public init(_ context: LabContext) { self.context = context }

    public func run(_ verb: Provisioner.Verb, onProgress: @escaping @Sendable (ProgressParser) -> Void = { _ in }) async throws -> Provisioner.Result {
        let identity = LabIdentity(context)
        let id = try await identity.resolve()
        if verb != .output { try await identity.requireBucketAgrees(with: id) }
        return try await provisioner.runNetwork(verb, variables: ["lab_id": id.value], onProgress: onProgress)
    }
}

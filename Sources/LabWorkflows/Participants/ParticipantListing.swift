import Foundation
import LabStore

/// One participant as the lists show it: `labctl keys list --json` and the admin
/// API's session (`GET /api/v1/admin/sessions/<s>`) print the same object.
public struct ParticipantListing: Encodable, Sendable {
    public var name: String
    public var display_name: String
    /// Left out when the participant gave none.
    public var email: String?
    public var discrete_id: String
    public var fingerprint: String
    public var pod_cidr: String
    public var added_at: Date

    public init(_ p: Participant) {
        name = p.name
        display_name = p.record.displayName
        email = p.record.email
        discrete_id = p.discreteID
        fingerprint = p.fingerprint
        pod_cidr = p.podCIDR
        added_at = p.record.createdAt
    }
}

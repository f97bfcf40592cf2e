import Foundation
import LabCore

/// One session at a glance: what `labctl status --json` prints and
/// `GET /api/v1/admin/sessions` answers, with the same keys (issue 24, item 2).
/// Numbers are numbers; a unit is in the key (`cost_usd_per_hour`, `seconds_left`).
public struct SessionStatus: Sendable, Codable, Equatable {
    public struct Instance: Sendable, Codable, Equatable {
        public var address: String
        public var id: String?
        public var state: String?
        public var public_ip: String?
        public var discrete_id: String?
        public var role: String?
    }

    public var session: String
    /// Why `sessions/<session>.tfvars` could not be read (nil: read, or no lab directory).
    public var config_error: String?
    public var region: String?
    public var master_instance_type: String?
    public var worker_instance_type: String?
    public var worker_count: Int?
    public var participants: Int
    /// The session's `max_participants`; at it, joins answer `session-full`.
    public var max_participants: Int
    /// Self-service intake: open, closed or none.
    public var intake: String
    /// The join link while intake is open (only where a server knows its address).
    public var join_url: String?
    /// Whether the session has a Terraform state, its resources and instances.
    public var workspace: Bool
    public var resources: Int
    public var instances: [Instance]
    /// Clusters recorded from Terraform outputs, and those the last verify found ready.
    public var clusters: Int
    public var ready: Int
    /// The end (UTC RFC 3339), where it stands (running, ending_soon, ended, no_end,
    /// unreadable), said in words, seconds left (negative: ended).
    public var session_end: String?
    public var lifetime: String?
    public var lifetime_text: String?
    public var seconds_left: Int?
    public var reap_due: Bool?
    public var end_problem: String?
    /// Estimated on-demand cost of the whole session per hour; nil when it cannot be priced.
    public var cost_usd_per_hour: Double?
    /// Instances the state records as stopped (a power-off from inside a node) and the command that starts them.
    public var stopped: [String]?
    public var start_command: String?
    /// Per participant state and time-to-ready; only when asked for (sessions named to `labctl status`).
    public var room: SessionRoom?

    public init(session: String) {
        self.session = session
        participants = 0; max_participants = 0; intake = "none"
        workspace = false; resources = 0; instances = []; clusters = 0; ready = 0
    }

    /// Where the session stands, from the fields above (nil: no lifetime read).
    public var standing: SessionEndPolicy.Standing? {
        let left = TimeInterval(seconds_left ?? 0)
        switch lifetime {
        case "no_end"?: return .noEnd
        case "unreadable"?: return .unreadable(end_problem ?? "")
        case "running"?: return .running(left: left)
        case "ending_soon"?: return .endingSoon(left: left)
        case "ended"?: return .ended(ago: -left, reapable: reap_due ?? false)
        default: return nil
        }
    }
}

import Foundation
import LabCore

/// Where one participant's master answers SSH, and what to look for there.
public struct MasterTarget: Sendable, Equatable {
    /// The participant's discrete id (`john.do`), the key of inventories and reports.
    public var discreteID: String
    public var host: String
    public var port: Int
    /// `SHA256:…` of the participant's active key, expected in the login user's authorized_keys.
    public var participantKeyFingerprint: String

    public init(discreteID: String, host: String, port: Int, participantKeyFingerprint: String) {
        self.discreteID = discreteID
        self.host = host
        self.port = port
        self.participantKeyFingerprint = participantKeyFingerprint
    }
}

/// The verdict for one master: every check, node counts, and the host key seen.
public struct MasterReport: Sendable, Equatable {
    public var target: MasterTarget
    public var checks: CheckSet
    public var nodesReady: Int?
    public var nodesExpected: Int
    /// The host key the handshake presented (nil when the handshake did not happen).
    public var hostKey: HostKey?
    public var checkedAt: Date

    public init(target: MasterTarget, checks: CheckSet, nodesReady: Int?, nodesExpected: Int, hostKey: HostKey?, checkedAt: Date = Date()) {
        self.target = target
        self.checks = checks
        self.nodesReady = nodesReady
        self.nodesExpected = nodesExpected
        self.hostKey = hostKey
        self.checkedAt = checkedAt
    }

    /// Every check passed.
    public var ready: Bool { checks.allPass }

    /// A changed host key is never retried by `--wait`: a person has to look.
    public var isPermanentFailure: Bool { checks[.hostkey].status == .fail && hostKey != nil }

    /// "cloud-init running", "host key changed", … — the first problem in a few words.
    public var summary: String {
        guard let (name, result) = checks.firstProblem else { return "ready" }
        return "\(name.rawValue): \(result.reason ?? result.status.rawValue)"
    }
}

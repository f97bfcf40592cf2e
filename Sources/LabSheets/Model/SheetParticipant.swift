import LabCore

/// One participant's cluster as a sheet shows it: who, where, how to log in
/// and how to check the server's identity.
public struct SheetParticipant: Equatable, Sendable {
    /// Canonical `first.last`; also the file name of their sheets.
    public var name: String
    public var displayName: String
    public var email: String?
    /// `first.la`, the id in AWS names and tags.
    public var discreteID: String
    /// Nil while Terraform has not reported the master yet.
    public var masterPublicIP: String?
    public var workerPublicIPs: [String]
    public var podCIDR: String
    /// The master's pinned SSH host keys (by `labctl verify`); empty when none is pinned yet.
    public var hostKeys: [HostKey]
    /// Whether the latest verification found the master ready.
    public var ready: Bool
    /// The latest verification's checks, in the verifier's order; empty when never verified.
    public var checks: [ReadinessCheck]
    public var nodesReady: Int?
    public var nodesExpected: Int?

    public init(name: String, displayName: String, email: String?, discreteID: String, masterPublicIP: String?,
                workerPublicIPs: [String], podCIDR: String, hostKeys: [HostKey], ready: Bool,
                checks: [ReadinessCheck], nodesReady: Int? = nil, nodesExpected: Int? = nil) {
        self.name = name
        self.displayName = displayName
        self.email = email
        self.discreteID = discreteID
        self.masterPublicIP = masterPublicIP
        self.workerPublicIPs = workerPublicIPs
        self.podCIDR = podCIDR
        self.hostKeys = hostKeys
        self.ready = ready
        self.checks = checks
        self.nodesReady = nodesReady
        self.nodesExpected = nodesExpected
    }
}

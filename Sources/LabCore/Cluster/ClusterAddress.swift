/// Where one participant cluster lives: the session stack's `clusters` output for one
/// participant, as Terraform reports it and the registry stores it. One type for both
/// (LabProvision parses it, LabStore's `ClusterRecord` stores it beside its session).
public struct ClusterAddress: Codable, Equatable, Sendable {
    public var discreteID: String
    public var masterPublicIP: String?
    public var masterPrivateIP: String?
    public var workerPublicIPs: [String]
    public var workerPrivateIPs: [String]
    public var podCIDR: String?
    public var masterInstanceID: String?
    public var workerInstanceIDs: [String]

    public init(discreteID: String, masterPublicIP: String?, masterPrivateIP: String?,
                workerPublicIPs: [String] = [], workerPrivateIPs: [String] = [], podCIDR: String? = nil,
                masterInstanceID: String? = nil, workerInstanceIDs: [String] = []) {
        self.discreteID = discreteID
        self.masterPublicIP = masterPublicIP
        self.masterPrivateIP = masterPrivateIP
        self.workerPublicIPs = workerPublicIPs
        self.workerPrivateIPs = workerPrivateIPs
        self.podCIDR = podCIDR
        self.masterInstanceID = masterInstanceID
        self.workerInstanceIDs = workerInstanceIDs
    }
}

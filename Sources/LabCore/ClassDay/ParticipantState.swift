/// Where a participant is on class day, in the order a participant normally passes
/// through them; `failed` and `rebuilt` leave that order (a person must look, or a
/// replacement is on its way).
public enum ParticipantState: String, Codable, Sendable, CaseIterable {
    /// The join link was sent to this person (no key yet).
    case invited
    /// Their public key is registered; their cluster is not deployed yet.
    case keyReceived = "key-received"
    /// Terraform reported their cluster's instances.
    case provisioned
    /// The master answers, but cloud-init, kubeadm or the nodes are not done yet.
    case booting
    /// `verify` passed every check.
    case ready
    /// A check failed (needs a person) or the cluster did not become ready in time.
    case failed
    /// Their instances were replaced on purpose (`labctl rebuild`).
    case rebuilt

    /// Nothing left to wait for.
    public var isReady: Bool { self == .ready }
}

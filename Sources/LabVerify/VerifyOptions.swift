import Foundation
import LabCore

/// How to log in and what a ready master looks like.
public struct VerifyOptions: Sendable {
    /// The login user (`ubuntu` on the lab's AMI).
    public var user: String
    public var identity: SSHIdentity
    /// 1 master + worker_count.
    public var expectedNodes: Int
    /// Budget for one master's whole check: TCP, handshake, auth and the remote commands.
    public var hostTimeout: TimeInterval
    /// How many masters are checked at once (dedicated threads).
    public var parallel: Int

    public init(user: String, identity: SSHIdentity, expectedNodes: Int, hostTimeout: TimeInterval = 20, parallel: Int = 32) {
        self.user = user
        self.identity = identity
        self.expectedNodes = expectedNodes
        self.hostTimeout = hostTimeout
        self.parallel = parallel
    }
}

/// What the caller's pin store says about a host key: the verifier never trusts a changed key.
public enum HostKeyVerdict: Sendable, Equatable {
    /// First sight: now pinned.
    case pinnedNow
    /// Same as the pinned key.
    case matches
    /// Differs from the pinned key (the pinned fingerprint).
    case changed(pinned: String)
}

/// Pins host keys on first sight and compares later ones (the CLI backs it with SQLite).
/// Called from the verifier's worker threads.
public protocol HostKeyPinning: Sendable {
    func verdict(discreteID: String, key: HostKey) throws -> HostKeyVerdict
}

import Foundation
import LabCore
import LabStore
import LabVerify

/// Host-key pins in SQLite: pinned on first sight, compared afterwards. Safe
/// across threads and across concurrent labctl runs (`pinHostKeyIfAbsent` is one transaction).
public struct RegistryHostKeyPins: HostKeyPinning {
    let registry: Registry
    let session: String
    let known: [String: HostKeyRecord]

    public init(registry: Registry, session: String) throws {
        self.registry = registry
        self.session = session
        known = Dictionary(try registry.hostKeys(session: session).map { ($0.discreteID, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func verdict(discreteID: String, key: HostKey) throws -> HostKeyVerdict {
        if let pinned = known[discreteID] {
            return pinned.fingerprint == key.fingerprint && pinned.keyType == key.type ? .matches : .changed(pinned: pinned.fingerprint)
        }
        let (stored, isNew) = try registry.pinHostKey(HostKeyRecord(session: session, discreteID: discreteID, hostKey: key))
        if isNew { return .pinnedNow }
        return stored.fingerprint == key.fingerprint ? .matches : .changed(pinned: stored.fingerprint)
    }
}

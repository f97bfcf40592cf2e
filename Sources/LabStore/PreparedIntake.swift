import LabCore

/// An intake operation with what it needs that costs CPU but no database,
/// computed before the batch's write transaction (by the submitting request,
/// in parallel with others), so the single writer spends its time in SQLite.
public struct PreparedIntake: Sendable {
    public let operation: IntakeOperation
    /// Digest of the enrollment code, nil when the code is malformed (refused without a lookup).
    let codeDigest: String?
    /// The new participant's personal edit token (enroll only).
    let token: SecretToken?
    let tokenDigest: String?
    let fingerprint: String

    public init(_ operation: IntakeOperation) {
        self.operation = operation
        switch operation {
        case let .enroll(code, _, _, _, key, _):
            codeDigest = SecretToken.isWellFormed(code) ? SecretToken.digest(of: code) : nil
            let token = SecretToken.generate()
            self.token = token
            tokenDigest = token.digest
            fingerprint = key.fingerprint
        case let .replaceKey(_, key, _):
            codeDigest = nil
            token = nil
            tokenDigest = nil
            fingerprint = key.fingerprint
        }
    }
}

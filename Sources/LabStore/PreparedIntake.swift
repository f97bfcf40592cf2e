import LabCore

/// What an intake operation needs that costs CPU but no database: computed
/// before the batch's write transaction, so the single writer spends its time in SQLite.
struct PreparedIntake: Sendable {
    /// Digest of the enrollment code, nil when the code is malformed (refused without a lookup).
    let codeDigest: String?
    /// The new participant's personal edit token (enroll only).
    let token: SecretToken?
    let tokenDigest: String?
    let fingerprint: String

    init(_ operation: IntakeOperation) {
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

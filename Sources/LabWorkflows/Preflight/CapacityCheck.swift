/// One line of the preflight: what the sessions need, what already runs, the
/// quota and the verdict. `--json` prints these as
/// `{check, code, needed, in_use, in_use_lab, in_use_others, quota, ok, verdict, detail}`; `ok` is null when
/// the quota is unknown (never reported as ok).
public struct CapacityCheck: Sendable, Equatable, Encodable {
    public enum Verdict: String, Sendable, Encodable {
        case ok
        /// The quota would be exceeded (exit 1).
        case exceeded
        /// The instance type is not offered in a zone of the network (exit 1).
        case notOffered = "not-offered"
        /// The quota could not be read: neither ok nor refused.
        case unknown
        /// Counted for the record; no quota applies.
        case noQuota = "no-quota"
    }

    public var check: String
    /// `service/quota-code`, nil when no Service Quotas code applies.
    public var code: String?
    public var needed: Int?
    public var inUse: Int?
    /// `inUse` split: under this lab's tags, and everything else in the region (nil where not split).
    public var inUseLab: Int?
    public var inUseOthers: Int?
    public var quota: Int?
    public var verdict: Verdict
    /// What to do about a refusal or an unknown, or where a number comes from.
    public var detail: String

    public init(check: String, code: String?, needed: Int?, inUse: Int?, inUseLab: Int? = nil, inUseOthers: Int? = nil,
                quota: Int?, verdict: Verdict, detail: String) {
        self.check = check
        self.code = code
        self.needed = needed
        self.inUse = inUse
        self.inUseLab = inUseLab
        self.inUseOthers = inUseOthers
        self.quota = quota
        self.verdict = verdict
        self.detail = detail
    }

    public var ok: Bool? {
        switch verdict {
        case .ok, .noQuota: return true
        case .exceeded, .notOffered: return false
        case .unknown: return nil
        }
    }

    public var fails: Bool { ok == false }

    enum CodingKeys: String, CodingKey {
        case check, code, needed, inUse = "in_use", inUseLab = "in_use_lab", inUseOthers = "in_use_others", quota, ok, verdict, detail
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(check, forKey: .check)
        try c.encode(code, forKey: .code)
        try c.encode(needed, forKey: .needed)
        try c.encode(inUse, forKey: .inUse)
        try c.encode(inUseLab, forKey: .inUseLab)
        try c.encode(inUseOthers, forKey: .inUseOthers)
        try c.encode(quota, forKey: .quota)
        try c.encode(ok, forKey: .ok)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(detail, forKey: .detail)
    }
}

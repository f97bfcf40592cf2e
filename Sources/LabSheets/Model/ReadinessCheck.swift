import Foundation

/// One readiness check of the latest verification (`tcp`, `hostkey`, `kubeadm`, …).
public struct ReadinessCheck: Equatable, Sendable {
    public var name: String
    /// `pass`, `fail` or `pending` as the verifier reported it.
    public var status: String
    /// The verifier's one-line reason; may be empty.
    public var detail: String

    public init(name: String, status: String, detail: String = "") {
        self.name = name
        self.status = status
        self.detail = detail
    }

    public var passed: Bool { status == "pass" }

    /// Reads the verifier's stored `checks` JSON. Accepts the shapes `labctl verify --json`
    /// has used: an array of `{name, status, reason}`, or an object keyed by check name whose
    /// values are `{status, reason}`, a status string, or a boolean. Unreadable JSON gives no checks.
    public static func parse(json: String) -> [ReadinessCheck] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) else { return [] }
        if let array = object as? [[String: Any]] {
            return array.compactMap { item in
                guard let name = item["name"] as? String else { return nil }
                return check(name: name, value: item)
            }
        }
        if let dictionary = object as? [String: Any] {
            return dictionary.keys.sorted().map { check(name: $0, value: dictionary[$0]!) }
        }
        return []
    }

    private static func check(name: String, value: Any) -> ReadinessCheck {
        switch value {
        case let item as [String: Any]:
            let status = (item["status"] as? String) ?? ((item["ok"] as? Bool).map { $0 ? "pass" : "fail" } ?? "unknown")
            let detail = (item["reason"] as? String) ?? (item["detail"] as? String) ?? ""
            return ReadinessCheck(name: name, status: status, detail: detail)
        case let flag as Bool:
            return ReadinessCheck(name: name, status: flag ? "pass" : "fail")
        case let status as String:
            return ReadinessCheck(name: name, status: status)
        default:
            return ReadinessCheck(name: name, status: "unknown")
        }
    }
}

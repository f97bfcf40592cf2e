import Foundation
import LabCore

/// One readiness check of the latest verification, as the sheets show it.
public struct ReadinessCheck: Equatable, Sendable {
    public var name: String
    /// `pass`, `pending`, `fail` or `skipped`, as the verifier reported it.
    public var status: String
    /// The verifier's one-line reason; may be empty.
    public var detail: String

    public init(name: String, status: String, detail: String = "") {
        self.name = name
        self.status = status
        self.detail = detail
    }

    public init(_ name: CheckName, _ result: CheckResult) {
        self.init(name: name.rawValue, status: result.status.rawValue, detail: result.reason ?? "")
    }

    public var passed: Bool { status == CheckStatus.pass.rawValue }

    /// Every check of a verification, in the order the verifier runs them.
    public static func list(_ checks: CheckSet) -> [ReadinessCheck] {
        CheckName.allCases.map { ReadinessCheck($0, checks[$0]) }
    }
}

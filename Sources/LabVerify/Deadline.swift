import Foundation

/// An absolute point in monotonic time that every blocking step of one host's check respects.
public struct Deadline: Sendable {
    private let uptimeNanoseconds: UInt64

    public init(secondsFromNow seconds: TimeInterval) {
        uptimeNanoseconds = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, seconds) * 1_000_000_000)
    }

    /// Milliseconds left, 0 when passed.
    public var remainingMilliseconds: Int32 {
        let now = DispatchTime.now().uptimeNanoseconds
        guard uptimeNanoseconds > now else { return 0 }
        return Int32(min(UInt64(Int32.max), (uptimeNanoseconds - now + 999_999) / 1_000_000))
    }

    public var hasPassed: Bool { remainingMilliseconds == 0 }
}

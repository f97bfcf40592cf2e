import Foundation
import LabCore

/// Verifies many masters in parallel with bounded width and a per-host deadline;
/// `waitUntilReady` re-checks the ones that are not ready, with backoff.
///
/// The SSH work runs on dedicated threads; the async entry points only wait for them.
public struct ReadinessVerifier: Sendable {
    public let options: VerifyOptions
    public let pinning: HostKeyPinning

    public init(options: VerifyOptions, pinning: HostKeyPinning) {
        self.options = options
        self.pinning = pinning
    }

    /// One pass over `targets`; reports come back in target order. `onReport` is called
    /// from worker threads as each master finishes.
    public func verifyOnce(_ targets: [MasterTarget], onReport: @escaping @Sendable (MasterReport) -> Void = { _ in }) -> [MasterReport] {
        let verifier = MasterVerifier(options: options, pinning: pinning)
        let results = ResultBox(count: targets.count)
        DedicatedThreads.forEach(count: targets.count, width: options.parallel) { i in
            let report = verifier.verify(targets[i])
            results.set(i, report)
            onReport(report)
        }
        return results.all()
    }

    /// The same pass, awaited without blocking a cooperative thread.
    public func verify(_ targets: [MasterTarget], onReport: @escaping @Sendable (MasterReport) -> Void = { _ in }) async -> [MasterReport] {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: verifyOnce(targets, onReport: onReport)) }.start()
        }
    }

    /// Checks all targets, then re-checks those not ready (except changed host keys)
    /// with backoff (2 s doubling to 15 s) until all are ready or `timeout` passes.
    /// `onRound` gets the latest reports of every target after each round.
    public func waitUntilReady(_ targets: [MasterTarget], timeout: TimeInterval,
                               onRound: @escaping @Sendable ([MasterReport]) -> Void = { _ in }) async -> [MasterReport] {
        let deadline = Date().addingTimeInterval(timeout)
        var latest = await verify(targets)
        onRound(latest)
        var delay: TimeInterval = 2
        while true {
            let retry = latest.indices.filter { !latest[$0].ready && !latest[$0].isPermanentFailure }
            let remaining = deadline.timeIntervalSinceNow
            if retry.isEmpty || remaining <= 0 { return latest }
            let pause = min(delay, remaining)
            try? await Task.sleep(nanoseconds: UInt64(pause * 1_000_000_000))
            delay = min(delay * 2, 15)
            if deadline.timeIntervalSinceNow <= 0 { return latest }
            let again = await verify(retry.map { targets[$0] })
            for (i, report) in zip(retry, again) { latest[i] = report }
            onRound(latest)
        }
    }

    // @unchecked Sendable: every access holds `lock`.
    private final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var reports: [MasterReport?]
        init(count: Int) { reports = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ r: MasterReport) { lock.lock(); reports[i] = r; lock.unlock() }
        func all() -> [MasterReport] { lock.lock(); defer { lock.unlock() }; return reports.map { $0! } }
    }
}

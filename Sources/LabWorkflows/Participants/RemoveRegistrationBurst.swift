import Foundation
import LabCore
import LabStore

/// Removing a burst of registrations in one step (issue 23): a join link leaked and
/// strangers registered between two times. Lists who registered in the window (a dry run
/// changes nothing) or removes them all in one transaction; their pod networks are free
/// again and every removal is in the audit log. The CLI and the dashboard share it.
public struct RemoveRegistrationBurst: Sendable {
    public let registry: Registry

    public init(registry: Registry) { self.registry = registry }

    public struct Request: Sendable {
        public var session: String
        /// Registered at or after this time (nil: from the first registration).
        public var from: Date?
        /// Registered before this time (nil: up to now).
        public var before: Date?
        public var dryRun = false

        public init(session: String, from: Date?, before: Date?, dryRun: Bool = false) {
            self.session = session
            self.from = from
            self.before = before
            self.dryRun = dryRun
        }
    }

    /// Who is (or would be, in a dry run) removed, oldest registration first.
    public func run(_ request: Request, via interface: Interface) throws -> [Participant] {
        try SessionName.validate(request.session)
        guard request.from != nil || request.before != nil else {
            throw WorkflowError.usage("give the window of the burst: --registered-after TIME (and --registered-before TIME to close it); without one every participant of \(request.session) would go.")
        }
        if let from = request.from, let before = request.before, from >= before {
            throw WorkflowError.usage("the window is empty: --registered-after (\(Self.show(from))) must be earlier than --registered-before (\(Self.show(before))).")
        }
        guard try registry.sessions().contains(where: { $0.name == request.session }) else {
            throw RegistryError.noSuchSession(request.session)
        }
        let window = Registry.RegistrationWindow(from: request.from, before: request.before)
        return request.dryRun
            ? try registry.participants(in: request.session, registered: window)
            : try registry.removeParticipants(in: request.session, registered: window, via: interface)
    }

    /// A time as a trainer types it: `2026-12-04 10:15` (this machine's local time, seconds
    /// optional, `T` allowed), or with its zone as `session_end` takes it
    /// (`2026-12-04T10:15:00+01:00`, `2026-12-04 10:15 Europe/Berlin`).
    public static func parseTime(_ raw: String, option: String, zone: TimeZone = .current) throws -> Date {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if let zoned = SessionEnd.parse(text) { return zoned.date }
        // No zone given: the same wall-clock time in `zone`.
        if text.count == 16 || text.count == 19, let utc = SessionEnd.parse(text + "Z") {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let wall = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: utc.date)
            calendar.timeZone = zone
            if let local = calendar.date(from: wall) { return local }
        }
        throw WorkflowError.usage("\(option) \"\(raw)\" is not a time labctl can read; write it as \"2026-12-04 10:15\" (this machine's local time, \(zone.identifier)), \"2026-12-04T10:15:00+01:00\" or \"2026-12-04 10:15 Europe/Berlin\".")
    }

    /// A registration time as the listing shows it: local time with its offset.
    public static func show(_ date: Date, zone: TimeZone = .current) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = "yyyy-MM-dd HH:mm:ss xxx"
        return f.string(from: date)
    }
}

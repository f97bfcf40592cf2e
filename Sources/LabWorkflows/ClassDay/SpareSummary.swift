import Foundation
import LabStore

/// A session's spare clusters at a glance (`labctl status`, the dashboard): how many
/// are left for late joiners, how many of those were verified ready, who got the others.
public struct SpareSummary: Sendable, Codable, Equatable {
    public struct Assignment: Sendable, Codable, Equatable {
        public var spare: String
        /// The owner's discrete id.
        public var discreteID: String
        public init(spare: String, discreteID: String) {
            self.spare = spare
            self.discreteID = discreteID
        }
        enum CodingKeys: String, CodingKey { case spare, discreteID = "discrete_id" }
    }

    public var total: Int
    /// Not handed out yet.
    public var left: Int
    /// Left and verified ready by the last verify (what `assign` can hand out at once).
    public var leftReady: Int
    public var assigned: [Assignment]

    enum CodingKeys: String, CodingKey { case total, left, leftReady = "left_ready", assigned }

    public static func read(session: String, registry: Registry) throws -> SpareSummary {
        let spares = try registry.spares(session: session)
        let owners = try registry.spareOwners(session: session)
        let ready = Set(try registry.verifications(session: session).filter(\.ready).map(\.discreteID))
        let free = spares.filter(\.isFree)
        return SpareSummary(total: spares.count, left: free.count, leftReady: free.filter { ready.contains($0.clusterKey) }.count,
                            assigned: spares.compactMap { s in owners[s.clusterKey].map { Assignment(spare: s.clusterKey, discreteID: $0) } })
    }

    /// "1 of 2 left (1 verified ready); spare_3 → ann.le", or nil without spares.
    public var line: String? {
        guard total > 0 else { return nil }
        let given = assigned.map { "\($0.spare) → \($0.discreteID)" }.joined(separator: ", ")
        return "\(left) of \(total) left (\(leftReady) verified ready)" + (given.isEmpty ? "" : "; \(given)")
    }
}

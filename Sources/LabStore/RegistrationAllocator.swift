import GRDB
import LabCore

/// Hands out discrete ids and pod networks inside one write transaction.
/// It reads what is taken once per transaction and then keeps track of what
/// the transaction itself adds, so registering many participants in one
/// transaction (a batch of web submissions) costs one scan, not one per row.
/// Only valid inside the transaction it was first used in.
struct RegistrationAllocator {
    let pool: PodCIDRPool
    /// Networks in use (of any size), read once per transaction.
    private var usage: PodNetworkUsage?
    /// Every candidate below this index is known to be in use.
    private var cursor = 0
    /// Taken discrete ids that start with a given first name, per session.
    private var takenIDs: [String: Set<String>] = [:]

    init(pool: PodCIDRPool) { self.pool = pool }

    /// The lowest free pod network; does not reserve it (see `didAdd`).
    mutating func network(_ db: Database) throws -> String {
        if usage == nil { usage = try PodNetworkRows.usage(db) }
        let candidates = pool.candidates
        while cursor < candidates.count, usage!.overlaps(candidates[cursor]) { cursor += 1 }
        guard cursor < candidates.count else { throw RegistryError.pool(pool.exhausted) }
        return candidates[cursor].description
    }

    /// The discrete id for `name` in `session`. Only ids that start with the
    /// first name can collide, so only those are read (an index range scan).
    mutating func discreteID(for name: ParticipantName, session: String, _ db: Database) throws -> String {
        let bucket = Self.bucket(session, name.first)
        if takenIDs[bucket] == nil {
            // Discrete ids are [a-z0-9.-], all below 0x7F: [first, first+DEL) is "starts with first".
            // Cached: a batch of distinct first names runs this once per submission.
            takenIDs[bucket] = Set(try String.fetchAll(db.cachedStatement(sql: """
                SELECT discreteID FROM participant WHERE session = ? AND discreteID >= ? AND discreteID < ?
                """), arguments: [session, name.first, name.first + "\u{7F}"]))
        }
        return DiscreteID.assign(for: name, taken: takenIDs[bucket]!)
    }

    /// Records a participant the transaction added (call only once its savepoint
    /// or transaction step succeeded, so a rolled-back row reserves nothing).
    mutating func didAdd(_ record: ParticipantRecord, first: String) {
        if let network = IPv4CIDR(record.podCIDR) { usage?.insert(network) }
        takenIDs[Self.bucket(record.session, first)]?.insert(record.discreteID)
    }

    private static func bucket(_ session: String, _ first: String) -> String { session + "\u{0}" + first }
}

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
    /// Participants per session, read once per transaction, then counted up by `didAdd`.
    private var counts: [String: Int] = [:]
    /// Each session's cap as `participantCap` gave it, asked once per transaction.
    private var caps: [String: Int?] = [:]
    /// A session's `max_participants`; nil: no cap (the registry's own callers, tests).
    private let participantCap: (String) -> Int?

    init(pool: PodCIDRPool, participantCap: @escaping (String) -> Int? = { _ in nil }) {
        self.pool = pool
        self.participantCap = participantCap
    }

    /// Refuses a new participant in a session that has its cap. Counted inside the write
    /// transaction that inserts the row, so concurrent joins cannot overshoot the cap.
    mutating func admitNewParticipant(session: String, _ db: Database) throws {
        if caps[session] == nil { caps[session] = .some(participantCap(session)) }
        guard let cap = caps[session] ?? nil else { return }
        if counts[session] == nil {
            counts[session] = try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM participant WHERE session = ?"),
                                               arguments: [session]) ?? 0
        }
        if counts[session]! >= cap { throw RegistryError.sessionFull(session: session, cap: cap) }
    }

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
        counts[record.session]? += 1
    }

    private static func bucket(_ session: String, _ first: String) -> String { session + "\u{0}" + first }
}

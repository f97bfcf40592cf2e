import Foundation
import LabCore

/// What `labctl demo` rehearses: sessions of different sizes, their participants,
/// and which of them join through the web intake or as key files.
public struct DemoPlan: Sendable {
    public struct Person: Sendable {
        public var firstName: String
        public var lastName: String
        public var email: String
        /// `first.last` in ASCII: the key file's name for file imports.
        public var fileStem: String
        /// Submitted through the running intake service; otherwise imported from participants/<session>/.
        public var viaWeb: Bool
    }

    public struct Session: Sendable {
        public var name: String
        public var workers: Int
        public var people: [Person]
    }

    public var sessions: [Session]

    /// Names with accents and hyphens on purpose: they travel through the form, the
    /// registry and the sheets. Every session draws from the same list.
    static let cast: [(String, String)] = [
        ("Zoë", "Müller-Lüdenscheidt"), ("Ada", "Lovelace"), ("Grace", "Hopper"), ("José", "García"),
        ("Katherine", "Johnson"), ("Alan", "Turing"), ("Émilie", "du Châtelet"), ("Linus", "Torvalds"),
        ("Barbara", "Liskov"), ("Edsger", "Dijkstra"), ("Frances", "Allen"), ("Ken", "Thompson"),
    ]

    /// Session i (0-based) has `participants - i` people (at least 1) and alternates
    /// between `workers` and one fewer, so sizes differ. Even positions join via the web.
    public static func make(sessions: Int, participants: Int, workers: Int) -> DemoPlan {
        DemoPlan(sessions: (0..<sessions).map { i in
            let count = max(1, participants - i)
            let people = (0..<count).map { j -> Person in
                let (first, last) = cast[j % cast.count]
                let round = j / cast.count
                let lastName = last + (round == 0 ? "" : " \(round + 1)")
                // The cast's names are valid, so the canonical form always exists.
                let stem = (try? ParticipantName(first: first, last: lastName).value) ?? "person.\(j)"
                return Person(firstName: first, lastName: lastName,
                              email: "\(stem)@example.org", fileStem: stem, viaWeb: j.isMultiple(of: 2))
            }
            return Session(name: "demo-\(i + 1)", workers: i.isMultiple(of: 2) ? workers : max(0, workers - 1), people: people)
        })
    }
}

/// The short, privacy-preserving id used in AWS names and tags: the first
/// name and the first two letters of the last name (`john.doe` → `john.do`).
public enum DiscreteID {
    /// The id for `name` that is not in `taken`. On a collision the last-name
    /// prefix grows one letter at a time (`john.do`, `john.dov`); if the whole
    /// last name is used up, a number is appended. Deterministic for the same inputs.
    public static func assign(for name: ParticipantName, taken: Set<String>) -> String {
        let last = name.last.filter { $0 != "-" }
        guard !last.isEmpty else { return numbered(name.first, taken: taken) }
        let letters = Array(last)
        for length in min(2, letters.count)...letters.count {
            let candidate = name.first + "." + String(letters[0..<length])
            if !taken.contains(candidate) { return candidate }
        }
        return numbered(name.first + "." + last, taken: taken)
    }

    private static func numbered(_ base: String, taken: Set<String>) -> String {
        if !taken.contains(base) { return base }
        var n = 2
        while taken.contains("\(base)\(n)") { n += 1 }
        return "\(base)\(n)"
    }
}

import Foundation

/// Which participant clusters a plan would replace (destroy and re-create an
/// instance of), read from `terraform show -json <planfile>`. Instances only
/// created (a new participant, more workers) or only destroyed (a participant
/// removed, fewer workers) replace nothing.
public struct ClusterReplacements: Sendable, Equatable {
    /// Cluster names (`<session>-<discrete id>`), sorted.
    public var clusters: [String]
    /// Instance addresses to be replaced, sorted.
    public var instances: [String]

    public init(clusters: [String], instances: [String]) {
        self.clusters = clusters
        self.instances = instances
    }

    public var isEmpty: Bool { clusters.isEmpty }

    /// "replaces 2 clusters: s1-ann.le, s1-bob.ki".
    public var summary: String {
        "replaces \(clusters.count) cluster\(clusters.count == 1 ? "" : "s"): \(clusters.joined(separator: ", "))"
    }

    /// Parses the JSON plan of the session stack.
    public static func parse(_ data: Data, session: String) throws -> ClusterReplacements {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw OutputsError("terraform show -json: expected a JSON object")
        }
        var clusters = Set<String>(), instances: [String] = []
        for change in root["resource_changes"] as? [[String: Any]] ?? [] {
            guard change["type"] as? String == "aws_instance", change["mode"] as? String != "data",
                  let body = change["change"] as? [String: Any], let actions = body["actions"] as? [String],
                  actions.contains("delete"), actions.contains("create") else { continue }
            instances.append(change["address"] as? String ?? "?")
            // The Cluster tag the instance has now; else the name the stack gives it
            // (`<session>-<participant>`, the participant being the key before any "/worker-N").
            let before = body["before"] as? [String: Any]
            if let tag = (before?["tags"] as? [String: Any])?["Cluster"] as? String {
                clusters.insert(tag)
            } else if let index = change["index"] as? String {
                clusters.insert("\(session)-\(index.split(separator: "/").first.map(String.init) ?? index)")
            }
        }
        return ClusterReplacements(clusters: clusters.sorted(), instances: instances.sorted())
    }
}

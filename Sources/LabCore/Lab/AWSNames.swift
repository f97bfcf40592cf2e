/// The names labctl gives a cluster's resources in AWS (terraform/session/locals.tf,
/// `aws_name` and `key_pair_name`; keep the two in step). Session and participant are
/// joined by a `.`, which no session name holds (`SessionName`): the session ends at the
/// first dot, so `demo` + `1-ann.le` (`demo.1-ann.le`) and `demo-1` + `ann.le`
/// (`demo-1.ann.le`) stay apart. Key pairs are per region and account, so their names
/// start with the lab's id as well.
public enum AWSNames {
    /// A cluster's security group name, and the stem of its resources' Name tags.
    public static func cluster(session: String, participant: String) -> String { "\(session).\(participant)" }

    /// A cluster's EC2 key pair name; without a lab id (a stack run without labctl), the cluster's name.
    public static func keyPair(lab: LabID?, session: String, participant: String) -> String {
        let name = cluster(session: session, participant: participant)
        return lab.map { "\($0.value).\(name)" } ?? name
    }
}

extension AWSNames {
    /// A session's account- or region-wide names (budget, backstop role and schedule group):
    /// `labctl-<lab id>-<session>`, or `labctl-<project>-<session>` without a lab id.
    public static func session(lab: LabID?, project: String, session: String) -> String {
        "labctl-\(lab?.value ?? project)-\(session)"
    }
}

/// Renders a new, commented `sessions/<name>.tfvars`.
public enum SessionConfigTemplate {
    /// One full patch release per session, so clusters built later match the first ones.
    public static let defaultKubernetesVersion = "1.34.2"

    /// - Parameter sshFrom: the sources allowed to reach SSH (the training room's public range); never empty in practice.
    public static func render(session: String, workers: Int, masterType: String, workerType: String,
                              region: String, sshFrom: [String], kubernetesVersion: String = defaultKubernetesVersion,
                              date: String, end: SessionEnd? = nil, spares: Int = 0,
                              maxParticipants: Int = SessionConfig.defaultMaxParticipants) -> String {
        let ssh = sshFrom.map { "\"\($0)\"" }.joined(separator: ", ")
        return """
        # Training session "\(session)" — created by `labctl create-config` on \(date).
        # Terraform variables for this session's workspace. Participants and their
        # keys live in labctl's database (labctl keys add/import), not in this file.

        session_name = "\(session)"
        region       = "\(region)"

        # Each participant gets one master and worker_count workers.
        # kubeadm needs at least 2 vCPU and 2 GiB on the master.
        master_instance_type = "\(masterType)"
        worker_instance_type = "\(workerType)"
        worker_count         = \(workers) # 0 = a single-node cluster (control-plane taint removed)\(sparesBlock(spares))

        # Participants the session takes at most (web form, JSON API and `labctl keys add`);
        # past it a join answers "session full, tell the trainer". The default \(SessionConfig.defaultMaxParticipants) is above
        # any one class and stops a leaked join link from taking the lab's pod networks.
        max_participants = \(maxParticipants)

        # One patch release for the whole session (1.30.x to 1.35.x with Ubuntu's containerd).
        kubernetes_version = "\(kubernetesVersion)"

        # T-family CPU credits: "unlimited" lets nodes bootstrap at full speed and bills
        # CPU above the baseline (worst case in `labctl cost`); "standard" never bills
        # it but holds every new node's bootstrap at the baseline.
        cpu_credits = "unlimited"

        # Who may reach SSH (22) and the Kubernetes API (6443): the training room's
        # public address range. `labctl apply` refuses an empty SSH list, and
        # 0.0.0.0/0 unless given --ssh-from-anywhere.
        allowed_ssh_cidrs = [\(ssh)]
        allowed_api_cidrs = []
        # NodePorts (30000-32767) stay closed unless you list sources here.
        nodeport_cidrs = []

        \(lifetimeBlock(end))
        """
    }

    /// Spare clusters, only when asked for (files without them stay as they were).
    static func sparesBlock(_ spares: Int) -> String {
        guard spares > 0 else { return "" }
        return """
        \n
        # Spare clusters, built without a participant: `labctl assign` (or the intake, for a
        # key that arrives after apply) hands one to a late joiner without a Terraform run.
        # Each costs like a participant's cluster.
        spares = \(spares)
        """
    }

    /// The session's end: every instance powers itself off at end + grace and
    /// `labctl reap` destroys the session; the sheets promise exactly that.
    static func lifetimeBlock(_ end: SessionEnd?) -> String {
        let line = end.map { "session_end = \"\($0.text)\" # \($0.human)" }
            ?? "# session_end = \"2026-12-04T17:00:00+01:00\" # required by `labctl apply` (or --no-end)"
        return """
        # When the session ends (RFC 3339 with offset, or "2026-12-04 17:00 Europe/Berlin").
        # At end + shutdown_grace every instance switches itself off and terminates, and
        # `labctl reap` destroys the session; move it with `labctl extend`.
        \(line)
        shutdown_grace = "2h"

        """
    }
}

/// Renders a new, commented `sessions/<name>.tfvars`.
public enum SessionConfigTemplate {
    public static func render(session: String, workers: Int, masterType: String, workerType: String,
                              region: String, kubernetesVersion: String = "1.34", date: String) -> String {
        """
        # Training session "\(session)" — created by `labctl create-config` on \(date).
        # Terraform variables for this session's workspace. Participants and their
        # keys live in labctl's database (labctl keys add/import), not in this file.

        session_name = "\(session)"
        region       = "\(region)"

        # Each participant gets one master and worker_count workers.
        # kubeadm needs at least 2 vCPU and 2 GiB on the master.
        master_instance_type = "\(masterType)"
        worker_instance_type = "\(workerType)"
        worker_count         = \(workers) # 0 = a single-node cluster (control-plane taint removed)

        kubernetes_version = "\(kubernetesVersion)"

        # Who may reach SSH (22) and the Kubernetes API (6443). Narrow these to the
        # training room's public address, e.g. ["203.0.113.10/32"].
        allowed_ssh_cidrs = ["0.0.0.0/0"]
        allowed_api_cidrs = []
        # NodePorts (30000-32767) stay closed unless you list sources here.
        nodeport_cidrs = []

        """
    }
}

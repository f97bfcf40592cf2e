/// Every variable the templates may use. `mail-templates/README.md` documents each
/// one; a template naming anything else is refused with its file and line.
public enum TemplateVariables {
    /// Session-wide: every template sees these.
    public static let session: [String] = [
        "session", "session_end", "switch_off_at", "trainer_name", "trainer_email", "has_trainer",
        "kubernetes_version", "generated_at", "participants", "participant_count", "ready_count",
    ]

    /// Per participant: inside `{{#participants}}`, and at the top level of the mail templates.
    public static let participant: [String] = [
        "name", "display_name", "email", "discrete_id",
        "master_ip", "master_host", "workers", "has_workers", "worker_ips",
        "ssh_command", "ssh_config", "known_hosts", "host_keys", "has_host_keys",
        "pod_cidr", "ready", "checks", "has_checks", "nodes_ready", "nodes_expected",
        "first_steps", "sheet_file",
    ]

    /// Inside the lists: `{{#workers}}`, `{{#host_keys}}`, `{{#checks}}`, `{{#first_steps}}`.
    public static let listItems: [String] = [
        "worker_name", "worker_ip",
        "key_type", "fingerprint", "known_hosts_line",
        "check", "status", "detail", "passed",
        "command", "explanation",
    ]

    public static let all: Set<String> = Set(session + participant + listItems)
}

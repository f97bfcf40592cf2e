/// Provisioning failures; each message names the thing, the reason and the next step.
public enum ProvisionError: Error, Equatable, Sendable, CustomStringConvertible {
    case terraformMissing(String)
    case noParticipants(session: String)
    case missingSessionFile(session: String, path: String)
    case locked(session: String, holder: String)
    case networkMissing(session: String)
    case terraformFailed(session: String, verb: String, status: Int32, log: String, hint: String?)
    case unreadableOutputs(session: String, reason: String)
    case unreadableState(session: String, reason: String)
    /// S3 mode, but the network's state is still a local file with resources in it.
    case localNetworkState(path: String, backendConfig: String, key: String)
    case backendConfig(path: String, problem: String)

    public var description: String {
        switch self {
        case .terraformMissing(let exe):
            return "terraform (\(exe)) is not on PATH; install Terraform ≥ 1.10 or set LABCTL_TERRAFORM to its path."
        case .noParticipants(let s):
            return "No participant SSH keys for session \(s): add some with `labctl keys add \(s) …` or `labctl keys import \(s)`."
        case let .missingSessionFile(s, path):
            return "\(path) does not exist; create the session with `labctl create-config \(s) --ssh-from CIDR` (the training room's public range)."
        case let .locked(s, holder):
            return "session \(s) is busy: \(holder). Wait for it to finish (drop --no-wait to wait), or if that process is gone, run the command again."
        case .networkMissing(let s):
            return "session \(s) needs the shared network, which is not deployed: run `labctl network apply` first."
        case let .terraformFailed(s, verb, status, log, hint):
            return "terraform \(verb) for session \(s) failed (exit \(status))\(hint.map { ": " + $0 } ?? ""). Full log: \(log)"
        case let .unreadableState(s, reason):
            return "cannot read the Terraform state of session \(s): \(reason). What it deploys is unknown: check the AWS credentials and the S3 backend (terraform/backend.s3.hcl), then run `labctl status \(s)`."
        case let .localNetworkState(path, config, key):
            return "the lab uses the S3 backend (\(config)), but the network's state is still local (\(path)): labctl keeps it in the bucket now, beside the sessions' states, so that every trainer of the lab finds the one network. Move it there once: `terraform -chdir=terraform/network init -migrate-state -backend-config=\(config) -backend-config=key=\(key)` (backend_override.tf is written), then remove \(path) and run the command again."
        case let .backendConfig(path, problem):
            return "the S3 backend settings \(path) cannot be used: \(problem). Fix the file (terraform/README.md, Backends), then run the command again."
        case let .unreadableOutputs(s, reason):
            return "cannot read Terraform outputs of session \(s): \(reason). Nothing was recorded, so verify and sheets find no cluster: fix the cause, then run `labctl output \(s)` (or `labctl apply \(s)` if it was never applied)."
        }
    }
}

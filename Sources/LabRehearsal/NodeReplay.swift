import Foundation

/// What a `LoopbackMaster`'s replayed kubeadm node reports: recorded
/// `cloud-init status --format json`, `kubectl get nodes -o json` and
/// `kubectl get pods -A -o json` outputs for one scenario (and the verifier's
/// `-o jsonpath=` of the same recorded lists, see `RecordedOutputs.jsonpath`).
public enum NodeReplay: Sendable {
    /// cloud-init done, 1 + `workers` nodes Ready, control plane, CoreDNS and calico-node Ready.
    case ready(workers: Int)
    /// cloud-init "running" until `cloudInitDoneAfter` seconds after start, then nodes NotReady until `nodesReadyAfter`, then all Ready.
    case becomesReady(workers: Int, cloudInitDoneAfter: TimeInterval, nodesReadyAfter: TimeInterval)
    /// cloud-init still running; kubeadm has not written admin.conf yet.
    case cloudInitRunning
    /// cloud-init finished with an error (the text is the first entry of `errors`); no admin.conf.
    case cloudInitError(String)
    /// cloud-init done but `/etc/kubernetes/admin.conf` does not exist (kubeadm init never ran).
    case kubeadmNotInitialised(workers: Int)
    /// Every node registered, the last one NotReady (CNI not initialised there).
    case nodeNotReady(workers: Int)
    /// One worker never joined: 1 + `workers` - 1 nodes registered, all Ready.
    case workerMissing(workers: Int)
}

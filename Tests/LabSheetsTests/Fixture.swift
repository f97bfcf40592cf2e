import Foundation
import LabSheets
import LabCore

/// Readable fixture data with the names that break naive tooling: accents, a comma
/// and quotes, and markup. Host keys are real ones (made once with ssh-keygen), so
/// their fingerprints can be checked by ssh-keygen itself.
enum Fixture {
    /// 2026-11-28 09:00:00 UTC.
    static let generatedAt = Date(timeIntervalSince1970: 1_795_856_400)

    static let session = SheetSession(
        name: "k8s-2026-11", endTime: "Friday 4 December 2026, 17:00 CET",
        trainerName: "Renée Trainer", trainerEmail: "renee@example.org",
        kubernetesVersion: "1.34", generatedAt: generatedAt)

    static let zoeKeys = [
        HostKey(type: "ssh-ed25519", base64: "AAAAC3NzaC1lZDI1NTE5AAAAIC5FCZDURztA4sbB2zzLQUtYyJocebEgKJHf14ztNTvU",
                     fingerprint: "SHA256:q3VC9uoE6g8sLQN2UL5WwYa5Nd0Jk9xW1RlMES9gyDE"),
        HostKey(type: "ecdsa-sha2-nistp256",
                     base64: "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBN2bbptA/507AkBep1y/UAZQE37aa/hLgmgsaJkMp22IycGwMTLT0FV/9OhiwItxEhfJ/C8JQaJqvAbdTZpnla8=",
                     fingerprint: "SHA256:XFO7kG/z4ZEs8FeVGgzLi+IDdh6e9wBtRTeYzK7+WN0"),
    ]

    static let allPass = ["tcp", "hostkey", "auth", "participant-key", "cloud-init", "kubeadm"].map {
        ReadinessCheck(name: $0, status: "pass")
    }

    static let zoe = SheetParticipant(
        name: "zoe.muller-ludenscheidt", displayName: "Zoë Müller-Lüdenscheidt", email: "zoe@example.org",
        discreteID: "zoe.mu", masterPublicIP: "203.0.113.10", workerPublicIPs: ["203.0.113.11", "203.0.113.12"],
        podCIDR: "10.112.0.0/16", hostKeys: zoeKeys, ready: true, checks: allPass, nodesReady: 3, nodesExpected: 3)

    static let jane = SheetParticipant(
        name: "jane.doe", displayName: "Doe, Jane \"JD\"", email: "jane.doe@example.org",
        discreteID: "jane.do", masterPublicIP: "203.0.113.20", workerPublicIPs: ["203.0.113.21"],
        podCIDR: "10.113.0.0/16",
        hostKeys: [HostKey(type: "ssh-ed25519", base64: "AAAAC3NzaC1lZDI1NTE5AAAAIB3nt404ZsxlWth3/CCTz04xvqAdZCtWi9nE8sfCezFp",
                                fingerprint: "SHA256:SbEQ71MW8wKPdfWo6+L6Krkts07S3RT+IWc55HMUOss")],
        ready: true, checks: allPass, nodesReady: 2, nodesExpected: 2)

    static let bobby = SheetParticipant(
        name: "bobby.tables", displayName: "Bobby <script>alert(\"x\")</script> Tables", email: nil,
        discreteID: "bobby.ta", masterPublicIP: "203.0.113.30", workerPublicIPs: [],
        podCIDR: "10.114.0.0/16",
        hostKeys: [HostKey(type: "ssh-ed25519", base64: "AAAAC3NzaC1lZDI1NTE5AAAAIMZ0knA+2lKucxLhcLtwZ1xopwIS5/f4Fz2aeWz3K1fh",
                                fingerprint: "SHA256:7m5TqAtps1H9bsxqg/mUAt27FbU7kUpDWtmvYnDRdNU")],
        ready: false,
        checks: Array(allPass.prefix(5)) + [ReadinessCheck(name: "kubeadm", status: "pending", detail: "kubelet not running yet")],
        nodesReady: 0, nodesExpected: 1)

    static let participants = [zoe, jane, bobby]
}

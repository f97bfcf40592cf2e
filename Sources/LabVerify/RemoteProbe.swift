import Foundation

/// The remote commands one master check runs, batched into two channels that run
/// side by side over the same connection (each channel costs a round trip and a
/// remote shell; each section is marked so one channel can carry several commands).
///
/// They are the real commands a trainer would type on the EC2 master; on loopback
/// rehearsals the same commands hit fixture `kubectl` / `cloud-init` executables.
enum RemoteProbe {
    static let marker = "@@labctl-section "

    enum Section: String {
        case authorizedKeys = "authorized-keys"
        case cloudInit = "cloud-init"
        case nodes
        case pods
    }

    /// The most of `~/.ssh/authorized_keys` the check reads. The file is the participant's
    /// (they are root on their master): a key line is under 1 KiB, so anything past 1 MiB
    /// is not keys, and a 4 GiB sparse file must cost neither side more than this.
    static let authorizedKeysLimit = 1024 * 1024

    /// `~/.ssh/authorized_keys` (its first `authorizedKeysLimit` + 1 bytes: one byte more
    /// tells "too large" from "exactly the limit") and `cloud-init status`, quick.
    static let hostCommand = script([
        (.authorizedKeys, "head -c \(authorizedKeysLimit + 1) ~/.ssh/authorized_keys"),
        (.cloudInit, "cloud-init status --format json"),
    ])

    /// Only the fields `ClusterHealth` reads, one tab-separated line per object: decoding
    /// kubectl's full `-o json` lists was about 15 % of the verifier's client CPU (and the
    /// bytes crossed the SSH channel for nothing). kubectl prints a missing field as empty.
    /// Node: name, Ready status, Ready reason.
    static let nodesJSONPath = #"{range .items[*]}{.metadata.name}{"\t"}{.status.conditions[?(@.type=="Ready")].status}{"\t"}{.status.conditions[?(@.type=="Ready")].reason}{"\n"}{end}"#
    /// Pod: namespace, `component` label, `k8s-app` label, Ready status.
    static let podsJSONPath = #"{range .items[*]}{.metadata.namespace}{"\t"}{.metadata.labels.component}{"\t"}{.metadata.labels.k8s-app}{"\t"}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}"#

    /// The cluster as kubeadm's admin sees it. `sudo -n` unless the login user is root
    /// (admin.conf is root-only; bash's $EUID spares a process); pods only when the node list worked.
    static let clusterCommand = "if [ \"${EUID:-$(id -u)}\" = 0 ]; then S=; else S='sudo -n'; fi; "
        + "K='kubectl --kubeconfig /etc/kubernetes/admin.conf --request-timeout=10s'; "
        + section(.nodes, "$S $K get nodes -o jsonpath='\(nodesJSONPath)'") + " "
        + "if [ $rc = 0 ]; then " + section(.pods, "$S $K get pods --all-namespaces -o jsonpath='\(podsJSONPath)'") + " fi"

    private static func script(_ parts: [(Section, String)]) -> String {
        parts.map { section($0.0, $0.1) }.joined(separator: " ")
    }

    /// `cmd; rc=$?;` then a marker on both streams carrying the exit status.
    private static func section(_ name: Section, _ command: String) -> String {
        "\(command) </dev/null; rc=$?; printf '\\n\(marker)\(name.rawValue) %d\\n' $rc; printf '\\n\(marker)\(name.rawValue)\\n' >&2;"
    }

    /// One section's output.
    struct Output {
        var stdout = ""
        var stderr = ""
        var exitStatus: Int32 = -1
    }

    /// Splits a channel's stdout and stderr back into sections (a byte scan: Foundation's
    /// `range(of:)` went through NSString and was the verifier's largest CPU cost).
    static func sections(stdout: String, stderr: String) -> [Section: Output] {
        var result: [Section: Output] = [:]
        let tag = Array(("\n" + marker).utf8)
        for (text, isStdout) in [(stdout, true), (stderr, false)] {
            let bytes = Array(text.utf8)
            var bodyStart = 0
            var i = 0
            while let hit = find(tag, in: bytes, from: i) {
                let fieldsStart = hit + tag.count
                var lineEnd = fieldsStart
                while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
                let fields = String(decoding: bytes[fieldsStart..<lineEnd], as: UTF8.self).split(separator: " ")
                let body = String(decoding: bytes[bodyStart..<hit], as: UTF8.self)
                i = min(lineEnd + 1, bytes.count)
                bodyStart = i
                guard let name = fields.first.flatMap({ Section(rawValue: String($0)) }) else { continue }
                var out = result[name] ?? Output()
                if isStdout {
                    out.stdout = body
                    out.exitStatus = fields.count > 1 ? Int32(fields[1]) ?? -1 : -1
                } else {
                    out.stderr = body
                }
                result[name] = out
            }
        }
        return result
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard start < haystack.count else { return nil }
        return haystack.withUnsafeBytes { h in
            needle.withUnsafeBytes { n in
                // memchr for the first byte, memcmp for the rest (memmem is not in Glibc's module).
                let base = h.baseAddress!
                var i = start
                while i + n.count <= h.count {
                    guard let p = memchr(base + i, Int32(needle[0]), h.count - i - n.count + 1) else { return nil }
                    let at = base.distance(to: UnsafeRawPointer(p))
                    if memcmp(base + at, n.baseAddress!, n.count) == 0 { return at }
                    i = at + 1
                }
                return nil
            }
        }
    }
}

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

    /// `~/.ssh/authorized_keys` and `cloud-init status`, quick.
    static let hostCommand = script([
        (.authorizedKeys, "cat ~/.ssh/authorized_keys"),
        (.cloudInit, "cloud-init status --format json"),
    ])

    /// The cluster as kubeadm's admin sees it. `sudo -n` unless the login user is root
    /// (admin.conf is root-only; bash's $EUID spares a process); pods only when the node list worked.
    static let clusterCommand = "if [ \"${EUID:-$(id -u)}\" = 0 ]; then S=; else S='sudo -n'; fi; "
        + "K='kubectl --kubeconfig /etc/kubernetes/admin.conf --request-timeout=10s'; "
        + section(.nodes, "$S $K get nodes -o json") + " "
        + "if [ $rc = 0 ]; then " + section(.pods, "$S $K get pods --all-namespaces -o json") + " fi"

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

    /// Splits a channel's stdout and stderr back into sections.
    static func sections(stdout: String, stderr: String) -> [Section: Output] {
        var result: [Section: Output] = [:]
        let tag = "\n" + marker
        for (text, isStdout) in [(stdout, true), (stderr, false)] {
            var rest = Substring(text)
            while let hit = rest.range(of: tag) {
                let body = rest[rest.startIndex..<hit.lowerBound]
                let lineEnd = rest[hit.upperBound...].firstIndex(of: "\n") ?? rest.endIndex
                let fields = rest[hit.upperBound..<lineEnd].split(separator: " ")
                rest = lineEnd < rest.endIndex ? rest[rest.index(after: lineEnd)...] : rest[lineEnd...]
                guard let name = fields.first.flatMap({ Section(rawValue: String($0)) }) else { continue }
                var out = result[name] ?? Output()
                if isStdout {
                    out.stdout = String(body)
                    out.exitStatus = fields.count > 1 ? Int32(fields[1]) ?? -1 : -1
                } else {
                    out.stderr = String(body)
                }
                result[name] = out
            }
        }
        return result
    }
}

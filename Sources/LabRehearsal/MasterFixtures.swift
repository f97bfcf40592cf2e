import Foundation

/// Writes a `LoopbackMaster`'s replayed node: `bin/kubectl` and `bin/cloud-init`
/// (plain /bin/sh) and `replay/phase-N/` outputs, switched by `replay/schedule`
/// (`<epoch ms> <phase>` lines; the latest phase whose time has come is replayed).
enum MasterFixtures {
    /// One phase of a node's life.
    struct Phase {
        enum CloudInit { case running, done, error(String) }
        var cloudInit: CloudInit
        /// `/etc/kubernetes/admin.conf` exists (kubeadm init ran).
        var adminConf: Bool
        /// Registered nodes, and which of them are Ready.
        var nodes: [(name: String, ready: Bool)]
    }

    static func phases(for replay: NodeReplay) -> [(after: TimeInterval, phase: Phase)] {
        switch replay {
        case .ready(let w):
            return [(0, Phase(cloudInit: .done, adminConf: true, nodes: nodeNames(w).map { ($0, true) }))]
        case .becomesReady(let w, let done, let ready):
            return [(0, Phase(cloudInit: .running, adminConf: false, nodes: [])),
                    (done, Phase(cloudInit: .done, adminConf: true, nodes: nodeNames(w).map { ($0, false) })),
                    (ready, Phase(cloudInit: .done, adminConf: true, nodes: nodeNames(w).map { ($0, true) }))]
        case .cloudInitRunning:
            return [(0, Phase(cloudInit: .running, adminConf: false, nodes: []))]
        case .cloudInitError(let text):
            return [(0, Phase(cloudInit: .error(text), adminConf: false, nodes: []))]
        case .kubeadmNotInitialised:
            return [(0, Phase(cloudInit: .done, adminConf: false, nodes: []))]
        case .nodeNotReady(let w):
            let names = nodeNames(w)
            return [(0, Phase(cloudInit: .done, adminConf: true, nodes: names.map { ($0, $0 != names.last) }))]
        case .workerMissing(let w):
            return [(0, Phase(cloudInit: .done, adminConf: true, nodes: nodeNames(w).dropLast().map { ($0, true) }))]
        }
    }

    /// EC2-style host names: the master first, then the workers.
    static func nodeNames(_ workers: Int) -> [String] {
        ["ip-10-1-0-10"] + (0..<max(0, workers)).map { "ip-10-1-0-\(20 + $0)" }
    }

    static func install(_ replay: NodeReplay, in directory: URL, startedAt: Date) throws {
        let replayDir = directory.appendingPathComponent("replay")
        let start = Int64(startedAt.timeIntervalSince1970 * 1000)
        var schedule = ""
        for (i, entry) in phases(for: replay).enumerated() {
            let dir = replayDir.appendingPathComponent("phase-\(i)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let (status, code) = RecordedOutputs.cloudInitStatus(entry.phase.cloudInit, startedAt: startedAt)
            try write(status, dir.appendingPathComponent("cloud-init.json"))
            try write("\(code)\n", dir.appendingPathComponent("cloud-init.rc"))
            let noAdmin = dir.appendingPathComponent("no-admin-conf")
            if entry.phase.adminConf {
                // One recorded list per kind, printed as `-o json` and as the verifier's jsonpath.
                let nodeList = RecordedOutputs.nodeList(entry.phase.nodes)
                let podList = RecordedOutputs.podList(entry.phase.nodes)
                try write(RecordedOutputs.json(nodeList), dir.appendingPathComponent("nodes.json"))
                try write(RecordedOutputs.json(podList), dir.appendingPathComponent("pods.json"))
                try write(RecordedOutputs.jsonpath(RecordedOutputs.nodesJSONPath, over: nodeList), dir.appendingPathComponent("nodes.jsonpath.out"))
                try write(RecordedOutputs.jsonpath(RecordedOutputs.podsJSONPath, over: podList), dir.appendingPathComponent("pods.jsonpath.out"))
                try? FileManager.default.removeItem(at: noAdmin)
            } else {
                try write("", noAdmin)
            }
            schedule += "\(start + Int64(entry.after * 1000)) \(i)\n"
        }
        try write(schedule, replayDir.appendingPathComponent("schedule"))
        try write("jsonpath=" + RecordedOutputs.nodesJSONPath + "\n", replayDir.appendingPathComponent("nodes.jsonpath"))
        try write("jsonpath=" + RecordedOutputs.podsJSONPath + "\n", replayDir.appendingPathComponent("pods.jsonpath"))
        let bin = directory.appendingPathComponent("bin")
        let count = phases(for: replay).count
        try executable(cloudInitShim(replayDir.path, phases: count), bin.appendingPathComponent("cloud-init"))
        try executable(kubectlShim(replayDir.path, phases: count), bin.appendingPathComponent("kubectl"))
    }

    /// Picks the phase directory by wall-clock time; shared by both shims. A replay with
    /// one phase skips the clock (the shims stay cheap: the sshd side shares the CPU with
    /// the client in loopback benchmarks).
    private static func phasePrelude(_ replay: String, phases: Int) -> String {
        let header = """
        #!/bin/sh
        # labctl rehearsal fixture: replays recorded outputs of a kubeadm master.
        R='\(replay)'

        """
        if phases <= 1 { return header + "D=\"$R/phase-0\"\n" }
        return header + """
        now=$(date +%s%3N)
        phase=0
        while read -r at p; do
          if [ "$now" -ge "$at" ]; then phase=$p; fi
        done < "$R/schedule"
        D="$R/phase-$phase"

        """
    }

    static func cloudInitShim(_ replay: String, phases: Int) -> String {
        phasePrelude(replay, phases: phases) + """
        case "$1" in
          status)
            cat "$D/cloud-init.json"
            read -r rc < "$D/cloud-init.rc"
            exit "$rc" ;;
          *)
            echo "usage: cloud-init status [--format json] (rehearsal fixture)" >&2
            exit 2 ;;
        esac

        """
    }

    static func kubectlShim(_ replay: String, phases: Int) -> String {
        phasePrelude(replay, phases: phases) + """
        kubeconfig=
        output=
        prev=
        for a in "$@"; do
          case "$a" in
            --kubeconfig=*) kubeconfig=${a#--kubeconfig=} ;;
            --output=*) output=${a#--output=} ;;
            -o?*) output=${a#-o} ;;
          esac
          if [ "$prev" = "--kubeconfig" ]; then kubeconfig=$a; fi
          if [ "$prev" = "-o" ] || [ "$prev" = "--output" ]; then output=$a; fi
          prev=$a
        done
        # The recording covers `-o json` and the verifier's jsonpath templates, nothing else.
        replay() { # kind
          if [ "$output" = json ]; then cat "$D/$1.json"; return; fi
          IFS= read -r recorded < "$R/$1.jsonpath"
          if [ "$output" = "$recorded" ]; then cat "$D/$1.jsonpath.out"; return; fi
          printf "error: the rehearsal fixture has no recording of 'get %s -o %s' (recorded: -o json, -o %s)\\n" "$1" "$output" "$recorded" >&2
          exit 1
        }
        if [ -e "$D/no-admin-conf" ] && [ "$kubeconfig" = /etc/kubernetes/admin.conf ]; then
          echo "error: stat /etc/kubernetes/admin.conf: no such file or directory" >&2
          exit 1
        fi
        if [ -e "$D/no-admin-conf" ]; then
          echo "E1128 09:14:03.513245    2211 memcache.go:265] \\"Unhandled Error\\" err=\\"couldn't get current server API group list: Get \\\\\\"http://localhost:8080/api?timeout=32s\\\\\\": dial tcp 127.0.0.1:8080: connect: connection refused\\"" >&2
          echo "The connection to the server localhost:8080 was refused - did you specify the right host or port?" >&2
          exit 1
        fi
        case " $* " in
          *" get nodes "*|*" get node "*|*" get no "*) replay nodes ;;
          *" get pods "*|*" get pod "*|*" get po "*) replay pods ;;
          *" delete node "*)
            # Recorded for the tests (class-day shrink), answered as kubectl does.
            echo "$*" >> "$R/kubectl-deletes.log"
            for a in "$@"; do case "$a" in worker-*) echo "node \"$a\" deleted" ;; esac; done ;;
          *)
            echo "error: the rehearsal fixture replays only 'get nodes' and 'get pods -A' (-o json or the verifier's jsonpath)" >&2
            exit 1 ;;
        esac

        """
    }

    private static func write(_ text: String, _ url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    private static func executable(_ text: String, _ url: URL) throws {
        try write(text, url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }
}

import Foundation
import LabStore
import LabTestSupport
import XCTest

/// `labctl sheets` as a trainer runs it after `apply` and `verify`: files, skips, errors.
final class SheetsCLITests: XCTestCase {
    var lab: SheetsLab!

    override func setUpWithError() throws { lab = try SheetsLab() }
    override func tearDown() { lab.remove() }

    func mode(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as! NSNumber).intValue & 0o777
    }

    func testWritesEveryFormatIntoAPrivateFolderAndSkipsTheUnreadyMaster() throws {
        let r = try lab.labctl(["sheets", lab.session])
        XCTAssertEqual(r.status, 1, "a skipped participant makes the run not ok\n\(r.stdout)\(r.stderr)")
        XCTAssertTrue(r.stderr.contains("bobby.tables: skipped, master not verified ready (kubeadm: pending (kubelet not running yet)); run `labctl verify k8s-lab`, or pass --include-unready"), r.stderr)
        XCTAssertTrue(r.stdout.contains("k8s-lab: 2 sheet(s), 1 skipped"), r.stdout)

        let files = Set(try FileManager.default.contentsOfDirectory(atPath: lab.outDir.path))
        var expected: Set<String> = ["participants-k8s-lab.csv", "index.html", "sheets-k8s-lab.html"]
        for name in ["zoe.muller-ludenscheidt", "jane.doe"] {
            for ext in ["txt", "md", "html", "eml"] { expected.insert("\(name).\(ext)") }
        }
        XCTAssertEqual(files, expected, "no sheet for the unready master, no temporary files left")
        XCTAssertEqual(try mode(lab.outDir), 0o700)
        for file in files { XCTAssertEqual(try mode(lab.out(file)), 0o600, file) }

        let txt = try lab.read("zoe.muller-ludenscheidt.txt")
        XCTAssertTrue(txt.contains("runs Kubernetes 1.33"), "the version comes from the session's tfvars")
        XCTAssertTrue(txt.contains("It is available until Friday 4 December 2026, 17:00 CET. Your cluster switches itself off at Friday 4 December 2026, 19:00 CET and is deleted"), txt)
        XCTAssertTrue(txt.contains("Questions: Renée Trainer <renee@example.org>"))
        XCTAssertTrue(txt.contains("  ssh -i ~/.ssh/id_ed25519 ubuntu@203.0.113.10\n"))
        XCTAssertTrue(txt.contains("  [x] kubeadm: pass (3/3 Ready)"))

        // The overview lists everyone, the unready one without a sheet.
        let index = try lab.read("index.html")
        XCTAssertTrue(index.contains("2 of 3 clusters ready"))
        XCTAssertTrue(index.contains("Bobby &lt;script&gt;"))
        XCTAssertFalse(index.contains("<script>"))
        XCTAssertFalse(index.contains("href=\"bobby.tables.html\""))
    }

    func testKnownHostsLinesAndSSHConfigOnTheSheetAreWhatOpenSSHExpects() throws {
        _ = try lab.labctl(["sheets", lab.session, "--format", "txt"])
        let txt = try lab.read("zoe.muller-ludenscheidt.txt")
        let hostKey = try XCTUnwrap(lab.hostKeys["zoe.muller-ludenscheidt"])
        let knownHosts = txt.split(separator: "\n").filter { $0.hasPrefix("203.0.113.10 ssh-ed25519 ") }
        XCTAssertEqual(knownHosts.count, 1)
        let file = try lab.dir.write("known_hosts", knownHosts.joined(separator: "\n") + "\n")
        // ssh-keygen finds the host in it and computes the fingerprint the sheet prints.
        let found = try Shell.run("ssh-keygen", ["-F", "203.0.113.10", "-f", file.path])
        XCTAssertEqual(found.status, 0, found.stderr)
        let fingerprint = try XCTUnwrap(KeyGen.fingerprint(ofFile: hostKey.publicKeyPath))
        XCTAssertEqual(try KeyGen.fingerprint(ofFile: file.path), fingerprint)
        XCTAssertTrue(txt.contains("The ssh-ed25519 key's fingerprint is \(fingerprint)"))

        // The config block, as ssh itself reads it (ssh -G only prints; it connects nowhere).
        let lines = txt.components(separatedBy: "\n")
        let start = try XCTUnwrap(lines.firstIndex(of: "Host k8s-lab-master"))
        let config = try lab.dir.write("ssh_config", lines[start..<(start + 6)].joined(separator: "\n") + "\n")
        let g = try Shell.run("ssh", ["-G", "-F", config.path, "k8s-lab-master"])
        XCTAssertEqual(g.status, 0, g.stderr)
        let settings = Set(g.stdout.split(separator: "\n").map(String.init))
        for expected in ["hostname 203.0.113.10", "user ubuntu", "identitiesonly yes", "stricthostkeychecking true"] {
            XCTAssertTrue(settings.contains(expected), "ssh -G lacks '\(expected)'")
        }
        XCTAssertTrue(settings.contains { $0.hasPrefix("identityfile ") && $0.hasSuffix("/.ssh/id_ed25519") })
    }

    func testCSVReadBackByARealParserEqualsTheRegistry() throws {
        _ = try lab.labctl(["sheets", lab.session, "--format", "csv"])
        let rows = try XCTUnwrap(try Python.json("read-csv.py", [lab.out("participants-k8s-lab.csv").path]) as? [[String]])
        XCTAssertEqual(rows.first, ["name", "display_name", "email", "discrete_id", "master_ip", "worker_ips", "pod_cidr",
                                    "ssh_command", "host_key_fingerprint", "ready"])
        let registry = try lab.registry()
        let participants = try registry.participants(in: lab.session)
        XCTAssertEqual(rows.count, 1 + participants.count, "every participant, ready or not")
        let people = Dictionary(uniqueKeysWithValues: SheetsLab.people.map { ($0.name, $0) })
        for (row, p) in zip(rows.dropFirst(), participants) {
            let person = try XCTUnwrap(people[p.name])
            let fingerprint = try KeyGen.fingerprint(ofFile: lab.hostKeys[p.name]!.publicKeyPath)!
            XCTAssertEqual(row, [p.name, person.display, person.email ?? "", p.discreteID, person.ip, person.workers.joined(separator: " "),
                                 p.podCIDR, "ssh -i ~/.ssh/id_ed25519 ubuntu@\(person.ip)", fingerprint, person.ready ? "yes" : "no"])
        }
    }

    func testEmlFilesParseWithPythonsEmailPackage() throws {
        _ = try lab.labctl(["sheets", lab.session, "--format", "eml"])
        let parsed = try XCTUnwrap(try Python.json("parse-eml.py", [lab.out("zoe.muller-ludenscheidt.eml").path,
                                                                   lab.out("jane.doe.eml").path]) as? [[String: Any]])
        XCTAssertEqual(parsed.map { $0["to_address"] as? String }, ["zoe@example.org", "jane.doe@example.org"])
        XCTAssertEqual(parsed.map { $0["to_display_name"] as? String }, ["Zoë Müller-Lüdenscheidt", "Doe, Jane \"JD\""])
        XCTAssertEqual(parsed[0]["from"] as? String, "Renée Trainer <renee@example.org>", "the trainer sends by default")
        XCTAssertEqual(parsed[0]["subject"] as? String, "Your Kubernetes lab k8s-lab: access for Zoë Müller-Lüdenscheidt")
        for m in parsed {
            XCTAssertEqual((m["parts"] as? [[String: Any]])?.map { $0["type"] as? String }, ["text/plain", "text/html"])
            XCTAssertEqual(m["defects"] as? [String], [])
        }
    }

    func testIncludeUnreadyAndParticipantSelectOnlyWhatWasAskedFor() throws {
        let r = try lab.labctl(["sheets", lab.session, "--include-unready", "--participant", "bobby.tables", "--format", "txt"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: lab.outDir.path), ["bobby.tables.txt"])
        let txt = try lab.read("bobby.tables.txt")
        XCTAssertTrue(txt.contains("NOT READY"))
        XCTAssertTrue(txt.contains("  [ ] kubeadm: pending (kubelet not running yet)"))

        let unknown = try lab.labctl(["sheets", lab.session, "--participant", "nobody.here"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("--participant nobody.here: no such participant in k8s-lab"), unknown.stderr)
    }

    func testRerunReplacesFilesByRenameWithNewContent() throws {
        _ = try lab.labctl(["sheets", lab.session, "--format", "txt"])
        let url = lab.out("jane.doe.txt")
        let before = try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as! NSNumber
        var cluster = try XCTUnwrap(try lab.registry().clusters(session: lab.session).first { $0.discreteID == "jane.do" })
        cluster.masterPublicIP = "198.51.100.7"
        let others = try lab.registry().clusters(session: lab.session).filter { $0.discreteID != "jane.do" }
        try lab.registry().recordClusters(session: lab.session, others + [cluster])
        _ = try lab.labctl(["sheets", lab.session, "--format", "txt"])
        let after = try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as! NSNumber
        XCTAssertNotEqual(before, after, "a new file renamed over the old one, not the old one rewritten in place")
        let txt = try lab.read("jane.doe.txt")
        XCTAssertTrue(txt.contains("ubuntu@198.51.100.7") && !txt.contains("203.0.113.20"))
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: lab.outDir.path).contains { $0.hasPrefix(".") })
    }

    func testTemplateErrorsNameTheTemplateAndLine() throws {
        let md = lab.dir.file("mail-templates/sheet.md.mustache")
        var lines = try String(contentsOf: md, encoding: .utf8).components(separatedBy: "\n")
        XCTAssertTrue(lines[3].hasPrefix("Your cluster"), "the line this test replaces")
        lines[3] = "Master: {{mastr_ip}}"
        try lines.joined(separator: "\n").write(to: md, atomically: true, encoding: .utf8)
        let r = try lab.labctl(["sheets", lab.session])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("mail-templates/sheet.md.mustache:4: unknown variable 'mastr_ip'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("Did you mean {{master_ip}}?"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: lab.outDir.path), "nothing is written from broken templates")
    }

    func testUsageErrorsExitTwo() throws {
        var r = try lab.labctl(["sheets", lab.session, "--format", "pdf"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--format pdf: use txt, md, html, eml, csv or all."), r.stderr)
        r = try lab.labctl(["sheets", lab.session, "--send"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--send needs --smtp HOST:PORT"), r.stderr)
        r = try lab.labctl(["sheets", "Not A Session"])
        XCTAssertEqual(r.status, 2)
        r = try lab.labctl(["sheets", "empty-session"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("no participants in session empty-session"), r.stderr)
    }
}

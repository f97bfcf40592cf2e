import Foundation
import LabTestSupport
import XCTest

/// A full pod network pool through the CLI: `keys add` and `keys import` exit 1
/// and name the pool and the settings that widen it; a bad setting is a usage error.
final class PodPoolCLITests: XCTestCase {
    var lab: TestLab!
    /// One /16 split into /17s: room for exactly two clusters.
    let tinyPool = ["LABCTL_POD_CIDR_POOL": "172.20.0.0/16", "LABCTL_POD_CIDR_PREFIX": "17"]

    override func setUpWithError() throws {
        lab = try TestLab("podpool", moto: false)
        try FileManager.default.createDirectory(at: lab.file("participants/s2"), withIntermediateDirectories: true)
    }

    override func tearDown() { lab.remove() }

    func labctl(_ args: [String], env: [String: String]) throws -> Shell.Output {
        try lab.labctl(args, env: env)
    }

    func testAddAndImportExitOneNamingThePoolAndTheSettingsWhenItIsFull() throws {
        for (i, name) in ["ann.one", "bob.two"].enumerated() {
            let key = try KeyGen.generate(in: lab.url, name: name)
            let r = try labctl(["keys", "add", "s1", name, "--key", key.publicLine], env: tinyPool)
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.contains("pod CIDR 172.20.\(i * 128).0/17"), r.stdout)
        }
        let third = try KeyGen.generate(in: lab.url, name: "cid.three")
        var r = try labctl(["keys", "add", "s1", "cid.three", "--key", third.publicLine], env: tinyPool)
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        for text in ["pod CIDR pool exhausted", "2 /17 networks of 172.20.0.0/16", "LABCTL_POD_CIDR_POOL", "LABCTL_POD_CIDR_PREFIX"] {
            XCTAssertTrue(r.stderr.contains(text), "missing \(text): \(r.stderr)")
        }

        _ = try KeyGen.generate(in: lab.file("participants/s2"), name: "dee.four")
        try FileManager.default.removeItem(at: lab.file("participants/s2/dee.four"))  // the private half
        r = try labctl(["keys", "import", "s2"], env: tinyPool)
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("1 invalid"), r.stdout)
        XCTAssertTrue(r.stdout.contains("LABCTL_POD_CIDR_POOL") && r.stdout.contains("LABCTL_POD_CIDR_PREFIX"), r.stdout)

        // The pool is per VPC: a wider setting makes room, and the first two keep their networks.
        r = try labctl(["keys", "import", "s2"], env: ["LABCTL_POD_CIDR_POOL": "172.20.0.0/15", "LABCTL_POD_CIDR_PREFIX": "17"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("172.21.0.0/17"), r.stdout)
        r = try labctl(["keys", "list", "s1"], env: tinyPool)
        XCTAssertTrue(r.stdout.contains("172.20.0.0/17") && r.stdout.contains("172.20.128.0/17"), r.stdout)
    }

    func testABadPrefixSettingIsAUsageError() throws {
        let key = try KeyGen.generate(in: lab.url, name: "ann.one")
        for bad in ["24", "fifteen"] {
            let r = try labctl(["keys", "add", "s1", "ann.one", "--key", key.publicLine], env: ["LABCTL_POD_CIDR_PREFIX": bad])
            XCTAssertEqual(r.status, 2, r.stderr)
            XCTAssertTrue(r.stderr.contains("LABCTL_POD_CIDR_PREFIX"), r.stderr)
        }
    }
}

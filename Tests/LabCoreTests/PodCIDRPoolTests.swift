import XCTest
@testable import LabCore

final class PodCIDRPoolTests: XCTestCase {
    func testDefaultPoolIs144NetworksFrom112To255() throws {
        let pool = try PodCIDRPool()
        XCTAssertEqual(pool.candidates.count, 255 - 112 + 1)
        XCTAssertEqual(pool.candidates.first?.description, "10.112.0.0/16")
        XCTAssertEqual(pool.candidates.last?.description, "10.255.0.0/16")
    }

    func testNeverOverlapsServiceCIDROrVPC() throws {
        let pool = try PodCIDRPool()
        for c in pool.candidates {
            XCTAssertFalse(c.overlaps(IPv4CIDR("10.96.0.0/12")!), c.description)
            XCTAssertFalse(c.overlaps(IPv4CIDR("10.0.0.0/16")!), c.description)
        }
        XCTAssertThrowsError(try PodCIDRPool(spec: "10.96.0.0/12")) {
            XCTAssertEqual($0 as? PoolError, .overlapsReserved(range: "10.96.0.0/12", reserved: "10.96.0.0/12"))
        }
        XCTAssertThrowsError(try PodCIDRPool(spec: "10.200.0.0/16", vpc: IPv4CIDR("10.200.0.0/16")!))
        XCTAssertThrowsError(try PodCIDRPool(spec: "10.112.0.0/24")) { XCTAssertEqual($0 as? PoolError, .invalidRange("10.112.0.0/24")) }
        XCTAssertThrowsError(try PodCIDRPool(spec: "banana"))
    }

    func testAllocatesLowestFreeAndReportsExhaustion() throws {
        let pool = try PodCIDRPool(spec: "172.20.0.0/15")
        XCTAssertEqual(try pool.allocate(used: []), "172.20.0.0/16")
        XCTAssertEqual(try pool.allocate(used: ["172.20.0.0/16"]), "172.21.0.0/16")
        XCTAssertThrowsError(try pool.allocate(used: ["172.20.0.0/16", "172.21.0.0/16"])) {
            XCTAssertEqual($0 as? PoolError, .exhausted(size: 2))
            XCTAssertTrue("\($0)".contains("LABCTL_POD_CIDR_POOL"))
        }
    }

    func testCIDRParsing() {
        XCTAssertEqual(IPv4CIDR("10.112.0.0/16")?.description, "10.112.0.0/16")
        XCTAssertNil(IPv4CIDR("10.112.0.1/16"), "host bits set")
        XCTAssertNil(IPv4CIDR("10.112.0.0/33"))
        XCTAssertNil(IPv4CIDR("256.0.0.0/8"))
        XCTAssertNil(IPv4CIDR("10.0.0/8"))
        XCTAssertTrue(IPv4CIDR("10.0.0.0/8")!.contains(IPv4CIDR("10.200.0.0/16")!))
        XCTAssertFalse(IPv4CIDR("10.0.0.0/16")!.overlaps(IPv4CIDR("10.1.0.0/16")!))
    }
}

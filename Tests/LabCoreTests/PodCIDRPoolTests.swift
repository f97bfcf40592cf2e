import XCTest
@testable import LabCore

final class PodCIDRPoolTests: XCTestCase {
    func testDefaultPoolHoldsTwoThousandClustersOf21Nodes() throws {
        let pool = try PodCIDRPool()
        XCTAssertGreaterThanOrEqual(pool.candidates.count, 2_000)
        XCTAssertEqual(pool.candidates.count, (255 - 112 + 1) * 32, "144 /16s of 32 /21s each")
        XCTAssertEqual(pool.candidates.first?.description, "10.112.0.0/21")
        XCTAssertEqual(pool.candidates.last?.description, "10.255.248.0/21")
        // Calico hands out /26 blocks: one per node of a 21-node cluster must fit.
        for c in pool.candidates.prefix(3) { XCTAssertGreaterThanOrEqual(c.subnets(prefix: 26).count, 21) }
        XCTAssertEqual(Set(pool.candidates).count, pool.candidates.count)
    }

    func testPrefixSettingBounds() throws {
        XCTAssertEqual(try PodCIDRPool(clusterPrefix: 16).candidates.count, 144)
        XCTAssertThrowsError(try PodCIDRPool(clusterPrefix: 22)) {
            XCTAssertEqual($0 as? PoolError, .invalidPrefix(22))
            XCTAssertTrue("\($0)".contains("LABCTL_POD_CIDR_PREFIX"))
        }
        XCTAssertThrowsError(try PodCIDRPool(clusterPrefix: 15))
        XCTAssertThrowsError(try PodCIDRPool(spec: "10.112.0.0/24", clusterPrefix: 21))
    }

    func testNewNetworksStayClearOfOlderLargerOnes() throws {
        let pool = try PodCIDRPool(spec: "10.112.0.0/15")
        // A /16 handed out before the prefix setting covers the first 32 /21s.
        XCTAssertEqual(try pool.allocate(used: ["10.112.0.0/16"]), "10.113.0.0/21")
        XCTAssertEqual(try pool.allocate(used: ["10.112.0.0/16", "10.113.0.0/21"]), "10.113.8.0/21")
        XCTAssertEqual(try pool.allocate(used: ["10.113.0.0/16"]), "10.112.0.0/21")
        var usage = PodNetworkUsage([IPv4CIDR("10.112.0.0/16")!])
        XCTAssertEqual(pool.freeCount(usage), 32)
        usage.insert(IPv4CIDR("10.113.248.0/21")!)
        XCTAssertEqual(pool.freeCount(usage), 31)
        XCTAssertTrue(usage.overlaps(IPv4CIDR("10.113.0.0/16")!))
        XCTAssertFalse(usage.overlaps(IPv4CIDR("10.113.240.0/21")!))
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
        XCTAssertThrowsError(try PodCIDRPool(spec: "10.112.0.0/24")) { XCTAssertEqual($0 as? PoolError, .invalidRange("10.112.0.0/24", clusterPrefix: 21)) }
        XCTAssertThrowsError(try PodCIDRPool(spec: "banana"))
    }

    func testAllocatesLowestFreeAndReportsExhaustion() throws {
        let pool = try PodCIDRPool(spec: "172.20.0.0/15", clusterPrefix: 16)
        XCTAssertEqual(try pool.allocate(used: []), "172.20.0.0/16")
        XCTAssertEqual(try pool.allocate(used: ["172.20.0.0/16"]), "172.21.0.0/16")
        XCTAssertThrowsError(try pool.allocate(used: ["172.20.0.0/16", "172.21.0.0/16"])) {
            XCTAssertEqual($0 as? PoolError, .exhausted(size: 2, pool: "172.20.0.0/15", clusterPrefix: 16))
            XCTAssertTrue("\($0)".contains("LABCTL_POD_CIDR_POOL"))
            XCTAssertTrue("\($0)".contains("LABCTL_POD_CIDR_PREFIX"))
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

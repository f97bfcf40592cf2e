/// The pod networks in use, of any size, as sorted address intervals: answers
/// "does this candidate overlap a network in use?" in O(log n). Networks in
/// use never overlap one another (the registry refuses that), so sorting by
/// first address also sorts by last address.
public struct PodNetworkUsage: Sendable {
    /// (first, last) address of each network in use, by first address.
    private var intervals: [(first: UInt32, last: UInt32)] = []

    public init<S: Sequence>(_ networks: S) where S.Element == IPv4CIDR {
        intervals = networks.map { (first: $0.address, last: $0.lastAddress) }.sorted { $0.first < $1.first }
    }

    public init(intervals: [(first: UInt32, last: UInt32)]) {
        self.intervals = intervals.sorted { $0.first < $1.first }
    }

    public var count: Int { intervals.count }

    public func overlaps(_ network: IPv4CIDR) -> Bool {
        // The last interval starting at or before the candidate's end is the only one that can overlap it.
        let i = index(after: network.lastAddress) - 1
        return i >= 0 && intervals[i].last >= network.address
    }

    public mutating func insert(_ network: IPv4CIDR) {
        intervals.insert((first: network.address, last: network.lastAddress), at: index(after: network.address))
    }

    /// The number of intervals whose first address is <= `address`.
    private func index(after address: UInt32) -> Int {
        var low = 0, high = intervals.count
        while low < high {
            let mid = (low + high) / 2
            if intervals[mid].first <= address { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

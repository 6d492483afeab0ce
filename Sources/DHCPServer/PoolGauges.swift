import Metrics

/// Per subnet: `autoprov_dhcp_leases_bound{subnet}`,
/// `autoprov_dhcp_pool_addresses{subnet}` (pool size) and
/// `autoprov_dhcp_pool_utilisation_ratio{subnet}` (bound leases in the
/// pools / pool size, 0...1). Set from the lease table every few seconds
/// and before each scrape, never on the packet path.
struct PoolGauges: Sendable {
    private let subnets: [(bound: Gauge, size: Gauge, ratio: Gauge)]

    init(subnets: [Subnet]) {
        self.subnets = subnets.map { subnet in
            let labels = [("subnet", subnet.name)]
            let size = Gauge(label: "autoprov_dhcp_pool_addresses", dimensions: labels)
            size.record(subnet.poolSize)
            return (Gauge(label: "autoprov_dhcp_leases_bound", dimensions: labels), size,
                    Gauge(label: "autoprov_dhcp_pool_utilisation_ratio", dimensions: labels))
        }
    }

    /// `occupancy` in the order of `subnets` (see `DHCPEngine.occupancy`);
    /// the pool size comes with it, as a reload may have changed the pools.
    func update(_ occupancy: [(bound: Int, inPool: Int, poolSize: Int)]) {
        for (gauges, counts) in zip(subnets, occupancy) {
            gauges.bound.record(counts.bound)
            gauges.size.record(counts.poolSize)
            gauges.ratio.record(counts.poolSize > 0 ? Double(counts.inPool) / Double(counts.poolSize) : 0)
        }
    }
}

import DHCPServer
import DHCPv4
import Store
import Testing

/// What the per-subnet gauges are set from (`autoprov_dhcp_leases_bound`,
/// `autoprov_dhcp_pool_utilisation_ratio`).
@Suite struct OccupancyTests {
    func lease(_ ip: String, _ mac: String, _ state: LeaseState, expires: Int64) -> Lease {
        Lease(ip: IPv4Address(ip)!, mac: MACAddress(mac)!, state: state, subnet: "192.0.2.0/24", expires: expires, updated: 0)
    }

    @Test func boundLeasesPerSubnetAndThoseInThePools() {
        let engine = DHCPEngine(settings: Lab.settings(), leases: [
            lease("192.0.2.100", "02:00:00:00:00:01", .bound, expires: 2000),
            lease("192.0.2.101", "02:00:00:00:00:02", .bound, expires: 500),  // past its expiry at 1000
            lease("192.0.2.102", "02:00:00:00:00:03", .offered, expires: 2000),
            lease("192.0.2.10", "0c:38:3e:00:00:01", .bound, expires: 2000),  // the reservation, outside the pool
            lease("198.51.100.10", "02:00:00:00:00:04", .bound, expires: 2000),
            lease("198.51.100.11", "02:00:00:00:00:05", .released, expires: 2000),
        ])
        let occupancy = engine.occupancy(now: 1000)
        #expect(occupancy.count == 2)
        #expect(occupancy[0].bound == 2 && occupancy[0].inPool == 1)
        #expect(occupancy[1].bound == 1 && occupancy[1].inPool == 1)
        #expect(engine.boundCounts(now: 1000) == ["192.0.2.0/24": 2, "198.51.100.0/24": 1])
    }
}

/// Leases another server granted (observe mode) are not the engine's.
@Suite struct ObservedLeaseTests {
    func observed(_ ip: String, _ mac: String, state: LeaseState = .bound) -> Lease {
        Lease(ip: IPv4Address(ip)!, mac: MACAddress(mac)!, state: state, subnet: "192.0.2.0/24", expires: 2000,
              updated: 0, origin: .observed, server: IPv4Address("192.0.2.254")!)
    }

    @Test func observedLeasesAreNeitherLoadedNorAppliedNorExpired() {
        let engine = DHCPEngine(settings: Lab.settings(), leases: [observed("192.0.2.100", "02:00:00:00:00:01")])
        #expect(engine.boundCounts(now: 1000)["192.0.2.0/24"] == 0)
        engine.apply(external: observed("192.0.2.101", "02:00:00:00:00:02", state: .released))
        engine.apply(external: observed("192.0.2.102", "02:00:00:00:00:03"))
        #expect(engine.boundCounts(now: 1000)["192.0.2.0/24"] == 0)
        #expect(engine.expire(now: 3000).leases.isEmpty)
    }
}

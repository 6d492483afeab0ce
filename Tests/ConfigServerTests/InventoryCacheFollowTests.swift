import ConfigServer
import DHCPv4
import Foundation
import Logging
import Store
import Testing

/// The cache follows commits made in this process through the database's
/// change signal, not its fallback poll (an hour here).
@Suite struct InventoryCacheFollowTests {
    @Test func anEditReachesTheCacheWithoutWaitingForThePoll() async throws {
        let h = try Harness()
        try h.addPhone(variables: ["ringtone": "1"])
        let cache = InventoryCache(
            inventory: h.inventory, leases: h.leases, changes: h.database.changes, interval: .seconds(3600),
            logger: Logger(label: "test"))
        cache.refresh()
        #expect(try cache.device(phoneMAC)?.variables["ringtone"] == "1")
        let following = Task { try await cache.run() }
        defer { following.cancel() }

        _ = try h.inventory.update(phoneMAC, now: 2) { $0.variables["ringtone"] = "2" }
        let deadline = ContinuousClock.now + .seconds(60)
        while try cache.device(phoneMAC)?.variables["ringtone"] != "2" && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try cache.device(phoneMAC)?.variables["ringtone"] == "2")
    }
}

import DHCPv4
import Foundation
@testable import Store
import Testing

/// Pages of the inventory: on the MAC index, every device once, and the
/// import's progress.
@Suite struct InventoryPageTests {
    func devices(_ count: Int) -> [Device] {
        (1...count).map { Device(mac: MACAddress(value: 0x0c38_3e00_0000 + UInt64($0)), label: "Desk \($0)") }
    }

    @Test func pagesOnTheIndexCoverEveryDeviceOnce() throws {
        let store = SQLiteInventoryStore(database: try SQLiteDatabase(path: temporaryStorePath()))
        try store.upsert(devices(250), now: 1)
        var seen: [MACAddress] = []
        var after: MACAddress?
        while true {
            let page = try store.devices(group: nil, state: nil, after: after, limit: 64)
            seen += page.map(\.mac)
            guard page.count == 64, let last = page.last else { break }
            after = last.mac
        }
        #expect(seen.count == 250 && Set(seen).count == 250)
        #expect(seen == seen.sorted { $0.value < $1.value })
        #expect(try store.deviceCount() == 250)
        let details = try store.queryPlan("SELECT * FROM device WHERE mac > ? ORDER BY mac LIMIT ?")
        #expect(details.contains("USING INDEX"), "\(details)")
        #expect(!details.contains("TEMP B-TREE"), "no sort: \(details)")
    }

    @Test func importReportsItsPhasesAndRows() throws {
        let store = SQLiteInventoryStore(database: try SQLiteDatabase(path: temporaryStorePath()))
        let csv = "mac,label\n" + (1...1200).map { "0c383e\(String(0x100000 + $0, radix: 16)),Desk \($0)" }.joined(separator: "\n")
        var steps: [String] = []
        let count = try DeviceImport.run(csv: csv, into: store, now: 1) { phase, done, total in
            steps.append("\(phase.rawValue) \(done)/\(total)")
        }
        #expect(count == 1200)
        #expect(steps.first == "validating 0/0")
        #expect(steps.contains("validating 1200/1200"))
        #expect(steps.contains("writing 500/1200") && steps.contains("writing 1000/1200"))
        #expect(steps.last == "writing 1200/1200")
    }
}

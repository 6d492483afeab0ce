import DHCPv4
import GRDB

/// The newest events of every device at once (a status page polls them).
extension SQLiteInventoryStore {
    public func latestEvents() throws -> [MACAddress: DeviceEvent] {
        try pool.read { db in
            var newest = try Self.newestOwnEvents(db, kinds: nil)
            let leases = try Row.fetchAll(db, sql: """
                SELECT e.* FROM event e
                JOIN (SELECT MAX(id) AS id FROM event WHERE mac IN (SELECT mac FROM device) GROUP BY mac) m ON e.id = m.id
                """)
            for row in leases {
                guard let mac = MACAddress(row["mac"] as String) else { continue }
                let event = DeviceEvent(
                    time: row["time"], kind: DeviceEvent.Kind(rawValue: row["kind"]), mac: mac,
                    ip: IPv4Address(UInt32(truncatingIfNeeded: row["ip"] as Int64)).description)
                if let own = newest[mac], own.time >= event.time { continue }
                newest[mac] = event
            }
            return newest
        }
    }

    public func latestEvents(kinds: Set<DeviceEvent.Kind>) throws -> [MACAddress: DeviceEvent] {
        guard !kinds.isEmpty else { return [:] }
        return try pool.read { db in try Self.newestOwnEvents(db, kinds: kinds) }
    }

    /// The newest `device_event` of each device in the inventory, of `kinds` if given.
    static func newestOwnEvents(_ db: Database, kinds: Set<DeviceEvent.Kind>?) throws -> [MACAddress: DeviceEvent] {
        let sortedKinds = (kinds ?? []).map(\.rawValue).sorted()
        let filter = kinds == nil ? "" : "AND kind IN (\(sortedKinds.map { _ in "?" }.joined(separator: ", ")))"
        let rows = try Row.fetchAll(db, sql: """
            SELECT e.* FROM device_event e
            JOIN (SELECT MAX(id) AS id FROM device_event WHERE mac IN (SELECT mac FROM device) \(filter) GROUP BY mac) m
              ON e.id = m.id
            """, arguments: StatementArguments(sortedKinds))
        var newest: [MACAddress: DeviceEvent] = [:]
        for row in rows {
            guard let mac = MACAddress(row["mac"] as String) else { continue }
            newest[mac] = DeviceEvent(
                id: row["id"], time: row["time"], kind: DeviceEvent.Kind(rawValue: row["kind"]), mac: mac, ip: row["ip"],
                file: row["file"], userAgent: row["user_agent"], status: row["status"], reason: row["reason"])
        }
        return newest
    }
}

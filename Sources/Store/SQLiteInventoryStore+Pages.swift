import DHCPv4
import GRDB

/// One page of the inventory at a time (`WHERE mac > ? ORDER BY mac LIMIT ?`,
/// on the primary key), and the newest events of just that page's devices.
extension SQLiteInventoryStore {
    public func devices(group: String?, state: DeviceState?, after: MACAddress?, limit: Int) throws -> [Device] {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let after {
            clauses.append("mac > ?")
            arguments += [after.description]
        }
        if let group {
            clauses.append("grp = ?")
            arguments += [group]
        }
        if let state {
            clauses.append("state = ?")
            arguments += [state.rawValue]
        }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        arguments += [max(0, limit)]
        return try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM device \(whereClause) ORDER BY mac LIMIT ?", arguments: arguments)
                .map(Self.device)
        }
    }

    public func devices(_ macs: [MACAddress]) throws -> [Device] {
        try pool.read { db in
            try macs.compactMap { mac in
                try Row.fetchOne(db, sql: "SELECT * FROM device WHERE mac = ?", arguments: [mac.description]).map(Self.device)
            }
        }
    }

    public func deviceCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM device") ?? 0 }
    }

    public func latestEvents(for macs: [MACAddress]) throws -> [MACAddress: DeviceEvent] {
        try pool.read { db in
            var newest: [MACAddress: DeviceEvent] = [:]
            for mac in macs {
                let own = try Self.newestOwnEvent(db, mac, kinds: nil)
                let lease = try Row.fetchOne(
                    db, sql: "SELECT * FROM event WHERE mac = ? ORDER BY id DESC LIMIT 1", arguments: [mac.description]
                ).map { row in
                    DeviceEvent(
                        time: row["time"], kind: DeviceEvent.Kind(rawValue: row["kind"]), mac: mac,
                        ip: IPv4Address(UInt32(truncatingIfNeeded: row["ip"] as Int64)).description)
                }
                // As `latestEvents()`: an own event wins a tie.
                if let lease, own.map({ $0.time < lease.time }) ?? true {
                    newest[mac] = lease
                } else if let own {
                    newest[mac] = own
                }
            }
            return newest
        }
    }

    public func latestEvents(kinds: Set<DeviceEvent.Kind>, for macs: [MACAddress]) throws -> [MACAddress: DeviceEvent] {
        guard !kinds.isEmpty else { return [:] }
        return try pool.read { db in
            var newest: [MACAddress: DeviceEvent] = [:]
            for mac in macs {
                if let event = try Self.newestOwnEvent(db, mac, kinds: kinds) { newest[mac] = event }
            }
            return newest
        }
    }

    /// The newest `device_event` of `mac` (of `kinds` if given), on the `(mac, id)` index.
    static func newestOwnEvent(_ db: Database, _ mac: MACAddress, kinds: Set<DeviceEvent.Kind>?) throws -> DeviceEvent? {
        let sortedKinds = (kinds ?? []).map(\.rawValue).sorted()
        let filter = kinds == nil ? "" : "AND kind IN (\(sortedKinds.map { _ in "?" }.joined(separator: ", ")))"
        return try Row.fetchOne(
            db, sql: "SELECT * FROM device_event WHERE mac = ? \(filter) ORDER BY id DESC LIMIT 1",
            arguments: StatementArguments([mac.description] + sortedKinds)
        ).map { row in
            DeviceEvent(
                id: row["id"], time: row["time"], kind: DeviceEvent.Kind(rawValue: row["kind"]), mac: mac, ip: row["ip"],
                file: row["file"], userAgent: row["user_agent"], status: row["status"], reason: row["reason"])
        }
    }

    /// SQLite's plan for `sql` (its `?` unbound): tests check that a page
    /// reads the MAC index instead of sorting the table.
    func queryPlan(_ sql: String) throws -> String {
        try pool.read { db in
            let unbound = StatementArguments(Array(repeating: DatabaseValue.null, count: sql.filter { $0 == "?" }.count))
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: unbound)
                .map { $0["detail"] as String }.joined(separator: "; ")
        }
    }
}

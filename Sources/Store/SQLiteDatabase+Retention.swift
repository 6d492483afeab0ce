import GRDB

/// Retention for both event tables of the SQLite file (`device_event`,
/// and `event`, the lease history), in batches of `policy.batch` rows per
/// transaction. Ids only grow (AUTOINCREMENT), so cursors that point past
/// deleted rows stay valid.
extension SQLiteDatabase: HistoryPruning {
    public func prune(_ policy: RetentionPolicy, now: Double) throws -> PruneCount {
        var count = PruneCount()
        for table in [EventTable.device, .lease] {
            var deleted = 0
            if policy.maxAge > 0 { deleted += try pruneByAge(table, before: now - policy.maxAge, batch: policy.batch) }
            if policy.eventsPerDevice > 0 {
                deleted += try pruneByCount(
                    table, keep: policy.eventsPerDevice, before: now - policy.protectedAge, batch: policy.batch)
            }
            switch table {
            case .device: count.deviceEvents = deleted
            case .lease: count.leaseEvents = deleted
            }
        }
        return count
    }

    enum EventTable: String {
        case device = "device_event"
        case lease = "event"
    }

    /// Oldest first: ids grow with time, so the scan stops at the first
    /// batch of old rows.
    private func pruneByAge(_ table: EventTable, before: Double, batch: Int) throws -> Int {
        var total = 0
        while true {
            let n = try pool.write { db in
                try db.execute(sql: """
                    DELETE FROM \(table.rawValue) WHERE id IN
                        (SELECT id FROM \(table.rawValue) WHERE time < ? ORDER BY id LIMIT ?)
                    """, arguments: [before, batch])
                return db.changesCount
            }
            total += n
            if n < batch { return total }
        }
    }

    /// For every MAC with more than `keep` rows: its rows older than
    /// `before` that are not among its newest `keep`.
    private func pruneByCount(_ table: EventTable, keep: Int, before: Double, batch: Int) throws -> Int {
        let crowded = try pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT mac FROM \(table.rawValue) GROUP BY mac HAVING COUNT(*) > ?", arguments: [keep])
        }
        var total = 0
        for mac in crowded {
            while true {
                let n = try pool.write { db in
                    try db.execute(sql: """
                        DELETE FROM \(table.rawValue) WHERE id IN (
                            SELECT id FROM \(table.rawValue) WHERE mac = ? AND time < ? AND id <= (
                                SELECT id FROM \(table.rawValue) WHERE mac = ? ORDER BY id DESC LIMIT 1 OFFSET ?)
                            ORDER BY id LIMIT ?)
                        """, arguments: [mac, before, mac, keep, batch])
                    return db.changesCount
                }
                total += n
                if n < batch { break }
            }
        }
        return total
    }
}

import DHCPv4
import Foundation
import GRDB

/// `ProvisionJobStore` in the same SQLite file as the leases and the inventory.
public final class SQLiteProvisionJobStore: ProvisionJobStore {
    let database: SQLiteDatabase
    var pool: DatabasePool { database.pool }

    public init(database: SQLiteDatabase) {
        self.database = database
    }

    public func ingestTriggers(
        limit: Int, now: Double, _ plan: @Sendable (ProvisionTriggerEvent, ProvisionJob?) -> ProvisionJobReset?
    ) throws -> Int {
        // Most ticks find nothing new: find that out without a write transaction.
        let pending = try pool.read { db in
            try Self.window(db, table: "event", after: Self.cursor(db, "lease"), limit: 1).count
                + Self.window(db, table: "device_event", after: Self.cursor(db, "device"), limit: 1).count
        }
        guard pending > 0 else { return 0 }
        return try pool.write { db in
            let leaseCursor = try Self.cursor(db, "lease")
            let deviceCursor = try Self.cursor(db, "device")
            // A window of at most `limit` ids per table; within it, only the
            // rows of inventory devices are read. A DHCP flood of other
            // clients costs one index range count, not a row and a lookup
            // per lease.
            let leaseWindow = try Self.window(db, table: "event", after: leaseCursor, limit: limit)
            let deviceWindow = try Self.window(db, table: "device_event", after: deviceCursor, limit: limit)
            guard leaseWindow.count > 0 || deviceWindow.count > 0 else { return 0 }
            let leaseRows = try Row.fetchAll(db, sql: """
                SELECT e.* FROM event e JOIN device d ON d.mac = e.mac
                WHERE e.id > ? AND e.id <= ? ORDER BY e.id
                """, arguments: [leaseCursor, leaseWindow.last])
            let deviceRows = try Row.fetchAll(db, sql: """
                SELECT e.* FROM device_event e JOIN device d ON d.mac = e.mac
                WHERE e.id > ? AND e.id <= ? ORDER BY e.id
                """, arguments: [deviceCursor, deviceWindow.last])

            var events: [ProvisionTriggerEvent] = leaseRows.compactMap { SQLiteLeaseStore.event($0).map { .lease($0) } }
            events += deviceRows.compactMap { row in
                MACAddress(row["mac"] as String).map { mac in
                    .device(DeviceEvent(
                        id: row["id"], time: row["time"], kind: DeviceEvent.Kind(rawValue: row["kind"]), mac: mac,
                        ip: row["ip"], file: row["file"], userAgent: row["user_agent"], status: row["status"],
                        reason: row["reason"]))
                }
            }
            events.sort { Self.time($0) < Self.time($1) }

            for event in events {
                let current = try Self.fetchJob(db, event.mac)
                guard let reset = plan(event, current) else { continue }
                try Self.apply(db, reset, to: event.mac, now: now)
            }
            if leaseWindow.count > 0 { try Self.setCursor(db, "lease", leaseWindow.last) }
            if deviceWindow.count > 0 { try Self.setCursor(db, "device", deviceWindow.last) }
            return leaseWindow.count + deviceWindow.count
        }
    }

    public func dueJobs(now: Double, limit: Int) throws -> [ProvisionJob] {
        try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM provision_job WHERE due IS NOT NULL AND due <= ? ORDER BY due LIMIT ?",
                arguments: [now, limit]
            ).compactMap(Self.job)
        }
    }

    public func nextDue() throws -> Double? {
        try pool.read { db in try Double.fetchOne(db, sql: "SELECT MIN(due) FROM provision_job WHERE due IS NOT NULL") }
    }

    public func update(_ job: ProvisionJob, _ update: ProvisionJobUpdate, now: Double) throws -> Bool {
        try pool.write { db in
            try db.execute(
                sql: """
                    UPDATE provision_job SET state = ?, reason = ?, due = ?, attempts = ?, updated = ?
                    WHERE mac = ? AND generation = ?
                    """,
                arguments: [update.state.rawValue, update.reason, update.due, update.attempts, now,
                            job.mac.description, job.generation])
            guard db.changesCount == 1 else { return false }
            if let e = update.event {
                try db.execute(
                    sql: "INSERT INTO device_event (time, kind, mac, ip, file, user_agent, status, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [e.time, e.kind.rawValue, e.mac.description, e.ip, e.file, e.userAgent, e.status, e.reason])
            }
            return true
        }
    }

    public func job(_ mac: MACAddress) throws -> ProvisionJob? {
        try pool.read { db in try Self.fetchJob(db, mac) }
    }

    public func jobs() throws -> [ProvisionJob] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM provision_job ORDER BY mac").compactMap(Self.job)
        }
    }

    public func jobCounts() throws -> [ProvisionJob.State: Int] {
        try pool.read { db in
            var counts: [ProvisionJob.State: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM provision_job GROUP BY state") {
                if let state = ProvisionJob.State(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }

    // MARK: rows

    static func apply(_ db: Database, _ reset: ProvisionJobReset, to mac: MACAddress, now: Double) throws {
        if reset.nudgeOnly {
            try db.execute(
                sql: "UPDATE provision_job SET due = MIN(due, ?) WHERE mac = ? AND due IS NOT NULL",
                arguments: [reset.due, mac.description])
            return
        }
        try db.execute(
            sql: """
                INSERT INTO provision_job (mac, state, reason, ip, trigger, generation, attempts, created, updated, due, deadline)
                VALUES (?, ?, NULL, ?, ?, 1, 0, ?, ?, ?, ?)
                ON CONFLICT(mac) DO UPDATE SET state = excluded.state, reason = NULL, ip = COALESCE(excluded.ip, ip),
                    trigger = excluded.trigger, generation = generation + 1, attempts = 0, updated = excluded.updated,
                    due = excluded.due, deadline = excluded.deadline
                """,
            arguments: [mac.description, reset.state.rawValue, reset.ip, reset.trigger, now, now, reset.due, reset.deadline])
    }

    static func fetchJob(_ db: Database, _ mac: MACAddress) throws -> ProvisionJob? {
        try Row.fetchOne(db, sql: "SELECT * FROM provision_job WHERE mac = ?", arguments: [mac.description]).flatMap(job)
    }

    static func job(_ row: Row) -> ProvisionJob? {
        guard let mac = MACAddress(row["mac"] as String), let state = ProvisionJob.State(rawValue: row["state"]) else { return nil }
        return ProvisionJob(
            mac: mac, state: state, reason: row["reason"], ip: row["ip"], trigger: row["trigger"],
            generation: row["generation"], attempts: row["attempts"], created: row["created"], updated: row["updated"],
            due: row["due"], deadline: row["deadline"])
    }

    /// How many ids follow `after` in `table` (at most `limit`) and the last of them.
    static func window(_ db: Database, table: String, after: Int64, limit: Int) throws -> (count: Int, last: Int64) {
        let row = try Row.fetchOne(db, sql: """
            SELECT COUNT(*) AS n, MAX(id) AS last FROM (SELECT id FROM \(table) WHERE id > ? ORDER BY id LIMIT ?)
            """, arguments: [after, limit])
        return (row?["n"] ?? 0, row?["last"] ?? after)
    }

    static func cursor(_ db: Database, _ source: String) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT last_id FROM provision_cursor WHERE source = ?", arguments: [source]) ?? 0
    }

    static func setCursor(_ db: Database, _ source: String, _ id: Int64) throws {
        try db.execute(
            sql: "INSERT INTO provision_cursor (source, last_id) VALUES (?, ?) ON CONFLICT(source) DO UPDATE SET last_id = excluded.last_id",
            arguments: [source, id])
    }

    static func time(_ event: ProvisionTriggerEvent) -> Double {
        switch event {
        case .lease(let e): e.time
        case .device(let e): e.time
        }
    }
}

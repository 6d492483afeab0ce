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
        try pool.write { db in
            let leaseCursor = try Self.cursor(db, "lease")
            let deviceCursor = try Self.cursor(db, "device")
            let leaseRows = try Row.fetchAll(
                db, sql: "SELECT * FROM event WHERE id > ? ORDER BY id LIMIT ?", arguments: [leaseCursor, limit])
            let deviceRows = try Row.fetchAll(
                db, sql: "SELECT * FROM device_event WHERE id > ? ORDER BY id LIMIT ?", arguments: [deviceCursor, limit])
            guard !leaseRows.isEmpty || !deviceRows.isEmpty else { return 0 }

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

            for event in events where try SQLiteInventoryStore.exists(db, event.mac) {
                let current = try Self.fetchJob(db, event.mac)
                guard let reset = plan(event, current) else { continue }
                try Self.apply(db, reset, to: event.mac, now: now)
            }
            if let last = leaseRows.last { try Self.setCursor(db, "lease", last["id"]) }
            if let last = deviceRows.last { try Self.setCursor(db, "device", last["id"]) }
            return leaseRows.count + deviceRows.count
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

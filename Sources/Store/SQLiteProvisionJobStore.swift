import DHCPv4
import Foundation
import GRDB
import Synchronization

/// `ProvisionJobStore` in the same SQLite file as the leases and the inventory.
public final class SQLiteProvisionJobStore: ProvisionJobStore {
    let database: SQLiteDatabase
    var pool: DatabasePool { database.pool }
    /// How long the end of windows that held no inventory device's event
    /// may stay unwritten (see `SkippedWindows`).
    let persistSkippedEvery: Double
    private let skipped = Mutex(SkippedWindows())

    public init(database: SQLiteDatabase, persistSkippedEvery: Double = 5) {
        self.database = database
        self.persistSkippedEvery = persistSkippedEvery
    }

    public func ingestTriggers(
        limit: Int, now: Double, _ plan: @Sendable (ProvisionTriggerEvent, ProvisionJob?) -> ProvisionJobReset?
    ) throws -> Int {
        let ahead = skipped.withLock { $0 }
        // Most wake-ups find nothing new, or (under a DHCP flood of other
        // clients) only events of MACs outside the inventory: find that
        // out in a read transaction, and keep the cursors' new end in
        // memory instead of taking the writer lock the DHCP commits need.
        let scan = try pool.read { db in
            let leaseCursor = try max(Self.cursor(db, "lease"), ahead.lease ?? 0)
            let deviceCursor = try max(Self.cursor(db, "device"), ahead.device ?? 0)
            let lease = try IDWindow(db, table: "event", after: leaseCursor, limit: limit)
            let device = try IDWindow(db, table: "device_event", after: deviceCursor, limit: limit)
            let matching = try Self.anyOfTheInventory(db, table: "event", lease, after: leaseCursor)
                || Self.anyOfTheInventory(db, table: "device_event", device, after: deviceCursor)
            return (lease: lease, device: device, matching: matching)
        }
        let read = scan.lease.count + scan.device.count
        if !scan.matching {
            let due = skipped.withLock { state -> SkippedWindows? in
                if scan.lease.count > 0 { state.lease = scan.lease.last }
                if scan.device.count > 0 { state.device = scan.device.last }
                guard state.pending, now - state.written >= persistSkippedEvery || now < state.written else { return nil }
                return state
            }
            if let due { try persist(due, now: now) }
            return read
        }
        return try pool.write { db in
            let leaseCursor = try max(Self.cursor(db, "lease"), ahead.lease ?? 0)
            let deviceCursor = try max(Self.cursor(db, "device"), ahead.device ?? 0)
            // A window of at most `limit` ids per table; within it, only the
            // rows of inventory devices are read. A DHCP flood of other
            // clients costs one index range count, not a row and a lookup
            // per lease.
            let leaseWindow = try IDWindow(db, table: "event", after: leaseCursor, limit: limit)
            let deviceWindow = try IDWindow(db, table: "device_event", after: deviceCursor, limit: limit)
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
            // Written even when the window is empty: it carries the skipped ends.
            try Self.setCursor(db, "lease", leaseWindow.count > 0 ? leaseWindow.last : leaseCursor)
            try Self.setCursor(db, "device", deviceWindow.count > 0 ? deviceWindow.last : deviceCursor)
            skipped.withLock { $0 = SkippedWindows(written: now) }
            return leaseWindow.count + deviceWindow.count
        }
    }

    /// Writes the end of the skipped windows (nothing in them to act on).
    private func persist(_ ends: SkippedWindows, now: Double) throws {
        try pool.write { db in
            if let lease = ends.lease, try lease > Self.cursor(db, "lease") { try Self.setCursor(db, "lease", lease) }
            if let device = ends.device, try device > Self.cursor(db, "device") { try Self.setCursor(db, "device", device) }
        }
        skipped.withLock { state in
            if state.lease == ends.lease { state.lease = nil }
            if state.device == ends.device { state.device = nil }
            state.written = now
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
                INSERT INTO provision_job (mac, state, reason, ip, trigger, generation, attempts, created, updated, due, deadline,
                    lease_started)
                VALUES (?, ?, NULL, ?, ?, 1, 0, ?, ?, ?, ?, ?)
                ON CONFLICT(mac) DO UPDATE SET state = excluded.state, reason = NULL, ip = COALESCE(excluded.ip, ip),
                    trigger = excluded.trigger, generation = generation + 1, attempts = 0, updated = excluded.updated,
                    due = excluded.due, deadline = excluded.deadline,
                    lease_started = COALESCE(excluded.lease_started, lease_started)
                """,
            arguments: [mac.description, reset.state.rawValue, reset.ip, reset.trigger, now, now, reset.due, reset.deadline,
                        reset.leaseStarted])
    }

    static func fetchJob(_ db: Database, _ mac: MACAddress) throws -> ProvisionJob? {
        try Row.fetchOne(db, sql: "SELECT * FROM provision_job WHERE mac = ?", arguments: [mac.description]).flatMap(job)
    }

    static func job(_ row: Row) -> ProvisionJob? {
        guard let mac = MACAddress(row["mac"] as String), let state = ProvisionJob.State(rawValue: row["state"]) else { return nil }
        return ProvisionJob(
            mac: mac, state: state, reason: row["reason"], ip: row["ip"], trigger: row["trigger"],
            generation: row["generation"], attempts: row["attempts"], created: row["created"], updated: row["updated"],
            due: row["due"], deadline: row["deadline"], leaseStarted: row["lease_started"])
    }

    /// Whether any event in the window after `after` belongs to an inventory device.
    static func anyOfTheInventory(
        _ db: Database, table: String, _ window: IDWindow, after: Int64
    ) throws -> Bool {
        guard window.count > 0 else { return false }
        return try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM \(table) e JOIN device d ON d.mac = e.mac WHERE e.id > ? AND e.id <= ?)
            """, arguments: [after, window.last]) ?? false
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

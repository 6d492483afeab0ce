import DHCPv4
import Foundation
import GRDB

/// `LeaseStore` on one SQLite file (GRDB `DatabasePool`, WAL journal).
///
/// Durability: `synchronous = FULL` (default) fsyncs each commit, so a commit
/// survives power loss; `NORMAL` survives a crash of the process only.
public final class SQLiteLeaseStore: LeaseStore {
    public enum Synchronous: String, Sendable, Codable { case full, normal }

    let database: SQLiteDatabase
    var pool: DatabasePool { database.pool }

    public convenience init(path: String, synchronous: Synchronous = .full) throws {
        try self.init(database: SQLiteDatabase(path: path, synchronous: synchronous))
    }

    public init(database: SQLiteDatabase) {
        self.database = database
    }

    public func allLeases() throws -> [Lease] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM lease ORDER BY ip").map(Self.lease) }
    }

    public func leases(matching filter: LeaseFilter, now: Int64) throws -> [Lease] {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let mac = filter.mac {
            clauses.append("mac = ?")
            arguments += [mac.description]
        }
        if let ip = filter.ip {
            clauses.append("ip = ?")
            arguments += [Int64(ip.value)]
        }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let rows = try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM lease \(whereClause) ORDER BY ip", arguments: arguments)
        }
        let leases = rows.map(Self.lease)
        guard let state = filter.state else { return leases }
        return leases.filter { $0.effectiveState(at: now) == state }
    }

    public func commit(leases: [Lease], events: [LeaseEvent]) async throws {
        try await pool.write { db in try Self.write(leases: leases, events: events, in: db) }
    }

    public func commitBlocking(leases: [Lease], events: [LeaseEvent]) throws {
        try pool.write { db in try Self.write(leases: leases, events: events, in: db) }
    }

    static func write(leases: [Lease], events: [LeaseEvent], in db: Database) throws {
        if !leases.isEmpty {
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO lease (ip, mac, client_id, state, subnet, class, hostname, expires, updated, origin, server)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(ip) DO UPDATE SET mac = excluded.mac, client_id = excluded.client_id,
                    state = excluded.state, subnet = excluded.subnet, class = excluded.class,
                    hostname = excluded.hostname, expires = excluded.expires, updated = excluded.updated,
                    origin = excluded.origin, server = excluded.server
                """)
            for lease in leases {
                try upsert.execute(arguments: [
                    Int64(lease.ip.value), lease.mac.description, lease.clientID.map { Data($0) },
                    lease.state.rawValue, lease.subnet, lease.className, lease.hostname,
                    lease.expires, lease.updated, lease.origin.rawValue, lease.server.map { Int64($0.value) },
                ])
            }
        }
        if !events.isEmpty {
            let insert = try db.cachedStatement(sql: """
                INSERT INTO event (time, kind, mac, ip, class, origin) VALUES (?, ?, ?, ?, ?, ?)
                """)
            for event in events {
                try insert.execute(arguments: [
                    event.time, event.kind.rawValue, event.mac.description, Int64(event.ip.value),
                    event.className, event.origin.rawValue,
                ])
            }
        }
    }

    public func release(mac: MACAddress, now: Int64) throws -> [IPv4Address] {
        try pool.write { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM lease WHERE mac = ? AND state IN ('bound', 'offered')",
                arguments: [mac.description])
            var released: [IPv4Address] = []
            var events: [LeaseEvent] = []
            var leases: [Lease] = []
            for row in rows {
                var lease = Self.lease(row)
                lease.state = .released
                lease.updated = now
                leases.append(lease)
                released.append(lease.ip)
                events.append(LeaseEvent(
                    time: Double(now), kind: .released, mac: mac, ip: lease.ip,
                    className: lease.className, origin: .admin))
            }
            try Self.write(leases: leases, events: events, in: db)
            return released
        }
    }

    public func events(after: Int64, limit: Int) throws -> [LeaseEvent] {
        try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM event WHERE id > ? ORDER BY id LIMIT ?", arguments: [after, limit]
            ).compactMap(Self.event)
        }
    }

    public func events(after: Int64, limit: Int, origin: LeaseEvent.Origin) throws -> LeaseEventPage {
        try pool.read { db in
            let window = try IDWindow(db, table: "event", after: after, limit: limit)
            guard window.count > 0 else { return LeaseEventPage(events: [], last: after, full: false) }
            let events = try Row.fetchAll(
                db, sql: "SELECT * FROM event WHERE id > ? AND id <= ? AND origin = ? ORDER BY id",
                arguments: [after, window.last, origin.rawValue]
            ).compactMap(Self.event)
            return LeaseEventPage(events: events, last: window.last, full: window.count == limit)
        }
    }

    /// Copies committed WAL pages into the database without blocking the
    /// writer (PASSIVE), so the WAL stays small.
    public func housekeeping() throws {
        try database.checkpoint()
    }

    /// The id of the newest event, 0 when there is none.
    public func lastEventID() throws -> Int64 {
        try pool.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM event") ?? 0 }
    }

    static func lease(_ row: Row) -> Lease {
        let blob: Data? = row["client_id"]
        return Lease(
            ip: IPv4Address(UInt32(truncatingIfNeeded: row["ip"] as Int64)),
            mac: MACAddress(row["mac"] as String) ?? MACAddress(value: 0),
            clientID: blob.map { [UInt8]($0) },
            state: LeaseState(rawValue: row["state"]) ?? .expired,
            subnet: row["subnet"], className: row["class"], hostname: row["hostname"],
            expires: row["expires"], updated: row["updated"],
            origin: LeaseEvent.Origin(rawValue: row["origin"] ?? "dhcp") ?? .dhcp,
            server: (row["server"] as Int64?).map { IPv4Address(UInt32(truncatingIfNeeded: $0)) })
    }

    static func event(_ row: Row) -> LeaseEvent? {
        guard let kind = LeaseEvent.Kind(rawValue: row["kind"]),
              let mac = MACAddress(row["mac"] as String) else { return nil }
        return LeaseEvent(
            id: row["id"], time: row["time"], kind: kind, mac: mac,
            ip: IPv4Address(UInt32(truncatingIfNeeded: row["ip"] as Int64)),
            className: row["class"], origin: LeaseEvent.Origin(rawValue: row["origin"]) ?? .dhcp)
    }
}

import DHCPv4
import Foundation
import GRDB

/// Rows to values and back, and the event log.
extension SQLiteInventoryStore {
    static func save(_ db: Database, _ d: Device) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO device (mac, label, model, grp, state, admin_user, admin_password, variables, lines,
                firmware, last_ip, created, updated, last_seen, revision, digest_fetch_time, digest_fetch_ip, api_cert_sha256,
                provisioning_secret, provisioning_secret_pushed, provisioning_secret_since)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                d.mac.description, d.label, d.model, d.group, d.state.rawValue, d.adminUser, d.adminPassword,
                json(d.variables), json(d.lines), d.firmware, d.lastIP, d.created, d.updated, d.lastSeen, d.revision,
                d.digestFetch?.time, d.digestFetch?.ip, d.apiCertSHA256,
                d.provisioningSecret?.value, d.provisioningSecret?.pushedAt, d.provisioningSecret?.inForceSince,
            ])
    }

    static func device(_ row: Row) -> Device {
        Device(
            mac: MACAddress(row["mac"] as String) ?? MACAddress(value: 0), label: row["label"], model: row["model"],
            group: row["grp"], state: DeviceState(rawValue: row["state"]) ?? .new, adminUser: row["admin_user"],
            adminPassword: row["admin_password"], variables: decode(row["variables"]) ?? [:], lines: decode(row["lines"]) ?? [],
            firmware: row["firmware"], lastIP: row["last_ip"], created: row["created"], updated: row["updated"],
            lastSeen: row["last_seen"], revision: row["revision"],
            digestFetch: (row["digest_fetch_time"] as Double?).flatMap { time in
                (row["digest_fetch_ip"] as String?).map { DigestFetch(time: time, ip: $0) }
            },
            apiCertSHA256: row["api_cert_sha256"],
            provisioningSecret: (row["provisioning_secret"] as String?).map {
                ProvisioningSecret(
                    value: $0, pushedAt: row["provisioning_secret_pushed"], inForceSince: row["provisioning_secret_since"])
            })
    }

    static func group(_ row: Row) -> DeviceGroup {
        DeviceGroup(
            name: row["name"], variables: decode(row["variables"]) ?? [:], revision: row["revision"],
            created: row["created"], updated: row["updated"])
    }

    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    static func decode<T: Decodable>(_ text: String?) -> T? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    public func record(events: [DeviceEvent], contacts: [DeviceContact]) throws {
        guard !events.isEmpty || !contacts.isEmpty else { return }
        try pool.write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO device_event (time, kind, mac, ip, file, user_agent, status, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for e in events {
                try insert.execute(arguments: [e.time, e.kind.rawValue, e.mac.description, e.ip, e.file, e.userAgent, e.status, e.reason])
            }
            // A model learned from the User-Agent changes what is rendered
            // (model variables, model templates): it bumps the revision.
            let touch = try db.cachedStatement(sql: """
                UPDATE device SET last_seen = ?, last_ip = COALESCE(?, last_ip), firmware = COALESCE(?, firmware),
                    revision = revision + (CASE WHEN ? IS NOT NULL AND model IS NULL THEN 1 ELSE 0 END),
                    model = COALESCE(model, ?),
                    state = CASE WHEN ? AND state != 'config-fetched' THEN 'config-fetched' ELSE state END,
                    digest_fetch_time = COALESCE(?, digest_fetch_time), digest_fetch_ip = COALESCE(?, digest_fetch_ip)
                WHERE mac = ?
                """)
            for c in contacts {
                try touch.execute(arguments: [
                    c.time, c.ip, c.firmware, c.model, c.model, c.fetchedOwnFile, c.digestFetch?.time, c.digestFetch?.ip,
                    c.mac.description,
                ])
            }
        }
    }

    public func events(for mac: MACAddress, limit: Int) throws -> [DeviceEvent] {
        try pool.read { db in
            let own = try Row.fetchAll(
                db, sql: "SELECT * FROM device_event WHERE mac = ? ORDER BY id DESC LIMIT ?", arguments: [mac.description, limit]
            ).map { row in
                DeviceEvent(
                    id: row["id"], time: row["time"], kind: DeviceEvent.Kind(rawValue: row["kind"]), mac: mac, ip: row["ip"],
                    file: row["file"], userAgent: row["user_agent"], status: row["status"], reason: row["reason"])
            }
            let leases = try Row.fetchAll(
                db, sql: "SELECT * FROM event WHERE mac = ? ORDER BY id DESC LIMIT ?", arguments: [mac.description, limit]
            ).map { row in
                DeviceEvent(
                    time: row["time"], kind: DeviceEvent.Kind(rawValue: row["kind"]), mac: mac,
                    ip: IPv4Address(UInt32(truncatingIfNeeded: row["ip"] as Int64)).description)
            }
            return Array((own + leases).sorted { $0.time > $1.time }.prefix(limit))
        }
    }
}

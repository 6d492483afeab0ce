import DHCPv4
import GRDB

/// The phone's pinned HTTPS certificate (trust on first use).
extension SQLiteInventoryStore {
    public func pinAPICertificate(_ mac: MACAddress, sha256: String, now: Double) throws -> Bool {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE device SET api_cert_sha256 = ? WHERE mac = ? AND api_cert_sha256 IS NULL",
                arguments: [sha256, mac.description])
            guard db.changesCount == 1 else { return false }
            try Self.insertEvent(db, DeviceEvent(time: now, kind: .apiCertPinned, mac: mac, reason: sha256))
            return true
        }
    }

    public func acceptAPICertificate(_ mac: MACAddress, now: Double, by: String) throws -> String? {
        try pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT api_cert_sha256 FROM device WHERE mac = ?", arguments: [mac.description])
            else { throw InventoryError.notFound("device \(mac.compact)") }
            let previous: String? = row["api_cert_sha256"]
            try db.execute(sql: "UPDATE device SET api_cert_sha256 = NULL WHERE mac = ?", arguments: [mac.description])
            let was = previous.map { " (was \($0))" } ?? " (none was pinned)"
            try Self.insertEvent(db, DeviceEvent(time: now, kind: .apiCertAccepted, mac: mac, reason: by + was))
            return previous
        }
    }

    static func insertEvent(_ db: Database, _ e: DeviceEvent) throws {
        try db.execute(
            sql: "INSERT INTO device_event (time, kind, mac, ip, file, user_agent, status, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [e.time, e.kind.rawValue, e.mac.description, e.ip, e.file, e.userAgent, e.status, e.reason])
    }
}

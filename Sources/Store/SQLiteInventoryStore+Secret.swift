import DHCPv4
import GRDB

/// The device's own provisioning password (`ProvisioningSecret`). Each
/// change bumps the revision: what the device's file carries and who may
/// fetch it change, and the config server's copy of the inventory follows
/// the revision.
extension SQLiteInventoryStore {
    public func provisioningSecretForPush(_ mac: MACAddress, now: Double) throws -> ProvisioningSecret {
        try pool.write { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT provisioning_secret, provisioning_secret_pushed, provisioning_secret_since FROM device WHERE mac = ?",
                arguments: [mac.description])
            else { throw InventoryError.notFound("device \(mac.compact)") }
            if let value: String = row["provisioning_secret"] {
                return ProvisioningSecret(
                    value: value, pushedAt: row["provisioning_secret_pushed"], inForceSince: row["provisioning_secret_since"])
            }
            let secret = ProvisioningSecret.generate()
            try db.execute(
                sql: """
                    UPDATE device SET provisioning_secret = ?, provisioning_secret_pushed = NULL, provisioning_secret_since = NULL,
                        revision = revision + 1
                    WHERE mac = ?
                    """,
                arguments: [secret.value, mac.description])
            try Self.insertEvent(db, DeviceEvent(time: now, kind: .provisioningSecretCreated, mac: mac))
            return secret
        }
    }

    @discardableResult
    public func markProvisioningSecretPushed(_ mac: MACAddress, value: String, now: Double) throws -> Bool {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE device SET provisioning_secret_pushed = ? WHERE mac = ? AND provisioning_secret = ?",
                arguments: [now, mac.description, value])
            return db.changesCount == 1
        }
    }

    @discardableResult
    public func putProvisioningSecretInForce(_ mac: MACAddress, value: String, now: Double) throws -> Bool {
        try pool.write { db in
            try db.execute(
                sql: """
                    UPDATE device SET provisioning_secret_since = ?, revision = revision + 1
                    WHERE mac = ? AND provisioning_secret = ? AND provisioning_secret_pushed IS NOT NULL
                        AND provisioning_secret_since IS NULL
                    """,
                arguments: [now, mac.description, value])
            guard db.changesCount == 1 else { return false }
            try Self.insertEvent(db, DeviceEvent(time: now, kind: .provisioningSecretInForce, mac: mac))
            return true
        }
    }

    @discardableResult
    public func resetProvisioningSecret(_ mac: MACAddress, now: Double, by: String) throws -> Bool {
        try pool.write { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT provisioning_secret FROM device WHERE mac = ?", arguments: [mac.description])
            else { throw InventoryError.notFound("device \(mac.compact)") }
            let had = (row["provisioning_secret"] as String?) != nil
            try db.execute(
                sql: """
                    UPDATE device SET provisioning_secret = NULL, provisioning_secret_pushed = NULL, provisioning_secret_since = NULL,
                        revision = revision + (CASE WHEN provisioning_secret IS NULL THEN 0 ELSE 1 END)
                    WHERE mac = ?
                    """,
                arguments: [mac.description])
            let what = had ? " (the device is back in its bootstrap window)" : " (it had none)"
            try Self.insertEvent(db, DeviceEvent(time: now, kind: .provisioningSecretReset, mac: mac, reason: by + what))
            return had
        }
    }
}

import DHCPv4
import Foundation
import GRDB

/// `InventoryStore` in the same SQLite file as the leases.
public final class SQLiteInventoryStore: InventoryStore {
    let database: SQLiteDatabase
    var pool: DatabasePool { database.pool }

    public init(database: SQLiteDatabase) {
        self.database = database
    }

    public func device(_ mac: MACAddress) throws -> Device? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM device WHERE mac = ?", arguments: [mac.description]).map(Self.device)
        }
    }

    public func devices(group: String?, state: DeviceState?) throws -> [Device] {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let group {
            clauses.append("grp = ?")
            arguments += [group]
        }
        if let state {
            clauses.append("state = ?")
            arguments += [state.rawValue]
        }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        return try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM device \(whereClause) ORDER BY mac", arguments: arguments).map(Self.device)
        }
    }

    public func insert(_ device: Device, now: Double) throws {
        let device = try DeviceValidation.normalised(device)
        try pool.write { db in
            if try Self.exists(db, device.mac) { throw InventoryError.exists("device \(device.mac.compact)") }
            try Self.requireGroup(db, device.group)
            var stored = device
            stored.created = now
            stored.updated = now
            stored.revision = 1
            try Self.save(db, stored)
        }
    }

    public func update(_ mac: MACAddress, now: Double, _ change: @Sendable (inout Device) throws -> Void) throws -> Device {
        try pool.write { db in
            guard var device = try Row.fetchOne(db, sql: "SELECT * FROM device WHERE mac = ?", arguments: [mac.description])
                .map(Self.device) else { throw InventoryError.notFound("device \(mac.compact)") }
            try change(&device)
            device.mac = mac
            device = try DeviceValidation.normalised(device)
            try Self.requireGroup(db, device.group)
            device.updated = now
            device.revision += 1
            try Self.save(db, device)
            return device
        }
    }

    public func upsert(_ devices: [Device], now: Double) throws {
        try upsert(devices, now: now, progress: { _ in })
    }

    public func upsert(_ devices: [Device], now: Double, progress: (Int) -> Void) throws {
        let devices = try devices.map(DeviceValidation.normalised)
        try pool.write { db in
            var groups: Set<String> = []
            for (i, var device) in devices.enumerated() {
                if i % 500 == 0 && i > 0 { progress(i) }
                if !groups.contains(device.group) {
                    try Self.requireGroup(db, device.group)
                    groups.insert(device.group)
                }
                if let old = try Row.fetchOne(db, sql: "SELECT * FROM device WHERE mac = ?", arguments: [device.mac.description])
                    .map(Self.device) {
                    device.created = old.created
                    device.revision = old.revision + 1
                    device.state = old.state
                    device.firmware = old.firmware
                    device.lastIP = old.lastIP
                    device.lastSeen = old.lastSeen
                    // Trust is earned by the phone, never imported.
                    device.digestFetch = old.digestFetch
                    device.apiCertSHA256 = old.apiCertSHA256
                    device.provisioningSecret = old.provisioningSecret
                    if device.model == nil { device.model = old.model }
                } else {
                    device.created = now
                    device.revision = 1
                    device.digestFetch = nil
                    device.apiCertSHA256 = nil
                    device.provisioningSecret = nil
                }
                device.updated = now
                try Self.save(db, device)
            }
        }
        progress(devices.count)
    }

    public func delete(_ mac: MACAddress) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM device WHERE mac = ?", arguments: [mac.description])
            return db.changesCount > 0
        }
    }

    public func group(_ name: String) throws -> DeviceGroup? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM device_group WHERE name = ?", arguments: [name]).map(Self.group)
        }
    }

    public func groups() throws -> [DeviceGroup] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM device_group ORDER BY name").map(Self.group) }
    }

    public func insert(_ group: DeviceGroup, now: Double) throws {
        try Self.check(group)
        try pool.write { db in
            if try Row.fetchOne(db, sql: "SELECT 1 FROM device_group WHERE name = ?", arguments: [group.name]) != nil {
                throw InventoryError.exists("group \(group.name)")
            }
            try db.execute(
                sql: "INSERT INTO device_group (name, variables, revision, created, updated) VALUES (?, ?, 1, ?, ?)",
                arguments: [group.name, Self.json(group.variables), now, now])
        }
    }

    public func update(group name: String, now: Double, _ change: @Sendable (inout DeviceGroup) throws -> Void) throws -> DeviceGroup {
        try pool.write { db in
            guard var group = try Row.fetchOne(db, sql: "SELECT * FROM device_group WHERE name = ?", arguments: [name])
                .map(Self.group) else { throw InventoryError.notFound("group \(name)") }
            try change(&group)
            group.name = name
            try Self.check(group)
            group.updated = now
            group.revision += 1
            try db.execute(
                sql: "UPDATE device_group SET variables = ?, revision = ?, updated = ? WHERE name = ?",
                arguments: [Self.json(group.variables), group.revision, now, name])
            return group
        }
    }

    public func delete(group name: String) throws -> Bool {
        try pool.write { db in
            if name == DeviceGroup.defaultName {
                throw InventoryError.protectedGroup(name)
            }
            let users = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM device WHERE grp = ?", arguments: [name]) ?? 0
            if users > 0 { throw InventoryError.groupInUse(name, devices: users) }
            try db.execute(sql: "DELETE FROM device_group WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    public func changeSequence() throws -> Int64 {
        try pool.read { db in try Int64.fetchOne(db, sql: "SELECT seq FROM inventory_change") ?? 0 }
    }

    static func check(_ group: DeviceGroup) throws {
        guard DeviceValidation.isGroupName(group.name) else {
            throw InventoryError.invalid(field: "name", message: "expected 1-64 of A-Z a-z 0-9 _ . -, got \"\(group.name)\"")
        }
        try DeviceValidation.checkVariables(group.variables, field: "variables")
    }

    static func exists(_ db: Database, _ mac: MACAddress) throws -> Bool {
        try Row.fetchOne(db, sql: "SELECT 1 FROM device WHERE mac = ?", arguments: [mac.description]) != nil
    }

    static func requireGroup(_ db: Database, _ name: String) throws {
        if try Row.fetchOne(db, sql: "SELECT 1 FROM device_group WHERE name = ?", arguments: [name]) == nil {
            throw InventoryError.noSuchGroup(name)
        }
    }
}

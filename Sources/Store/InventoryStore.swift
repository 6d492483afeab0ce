import DHCPv4

/// Devices, groups and their events. Every write is one transaction.
public protocol InventoryStore: Sendable {
    func device(_ mac: MACAddress) throws -> Device?
    /// Devices ordered by MAC, optionally only one group and/or state.
    func devices(group: String?, state: DeviceState?) throws -> [Device]
    /// At most `limit` devices with a MAC above `after`, ordered by MAC: one
    /// page of the list; the last MAC is the cursor of the next.
    func devices(group: String?, state: DeviceState?, after: MACAddress?, limit: Int) throws -> [Device]
    /// The devices of `macs` that exist, in the order given.
    func devices(_ macs: [MACAddress]) throws -> [Device]
    func deviceCount() throws -> Int
    /// Adds a device; throws `InventoryError.exists` when the MAC is there.
    func insert(_ device: Device, now: Double) throws
    /// Applies `change` to the stored device and saves it (revision bumped);
    /// throws `InventoryError.notFound`.
    @discardableResult
    func update(_ mac: MACAddress, now: Double, _ change: @Sendable (inout Device) throws -> Void) throws -> Device
    /// Inserts or replaces each device, all or nothing.
    func upsert(_ devices: [Device], now: Double) throws
    /// `upsert`, calling `progress` with how many rows are written so far
    /// (every few hundred rows, and at the end), still all or nothing.
    func upsert(_ devices: [Device], now: Double, progress: (Int) -> Void) throws
    @discardableResult
    func delete(_ mac: MACAddress) throws -> Bool

    func group(_ name: String) throws -> DeviceGroup?
    func groups() throws -> [DeviceGroup]
    func insert(_ group: DeviceGroup, now: Double) throws
    @discardableResult
    func update(group name: String, now: Double, _ change: @Sendable (inout DeviceGroup) throws -> Void) throws -> DeviceGroup
    /// Refuses (`InventoryError.groupInUse`) while devices belong to it, and
    /// always for the default group.
    @discardableResult
    func delete(group name: String) throws -> Bool

    /// Records events and what fetches taught about phones, in one transaction.
    func record(events: [DeviceEvent], contacts: [DeviceContact]) throws
    /// A device's newest events first: its own and its lease events.
    func events(for mac: MACAddress, limit: Int) throws -> [DeviceEvent]
    /// Each device's newest event, its own or a lease event (what
    /// `events(for:limit: 1)` gives), for every device in one read.
    func latestEvents() throws -> [MACAddress: DeviceEvent]
    /// Each device's newest own event of one of `kinds`, in one read.
    func latestEvents(kinds: Set<DeviceEvent.Kind>) throws -> [MACAddress: DeviceEvent]
    /// `latestEvents()` for just `macs` (one page of a list).
    func latestEvents(for macs: [MACAddress]) throws -> [MACAddress: DeviceEvent]
    /// `latestEvents(kinds:)` for just `macs`.
    func latestEvents(kinds: Set<DeviceEvent.Kind>, for macs: [MACAddress]) throws -> [MACAddress: DeviceEvent]
    /// Pins the phone's HTTPS certificate fingerprint if none is pinned yet
    /// (an `api-cert-pinned` event records it); false when one already was.
    /// Not a change of what is rendered: the revision stays.
    @discardableResult
    func pinAPICertificate(_ mac: MACAddress, sha256: String, now: Double) throws -> Bool
    /// Forgets the pinned fingerprint (a replaced phone), so that the next
    /// job pins the one presented then; an `api-cert-accepted` event records
    /// it, `by` who. Returns the fingerprint forgotten; throws
    /// `InventoryError.notFound`.
    @discardableResult
    func acceptAPICertificate(_ mac: MACAddress, now: Double, by: String) throws -> String?
    /// The device's provisioning secret for a push: the stored one, or a new
    /// pending one (generated, stored, a `provisioning-secret-created` event
    /// without the value) when it has none. Bumps the revision when it
    /// creates one (its file now carries it); throws `InventoryError.notFound`.
    func provisioningSecretForPush(_ mac: MACAddress, now: Double) throws -> ProvisioningSecret
    /// Records that the phone accepted a SET carrying the secret `value`
    /// (not a change of what is rendered: the revision stays); false when
    /// the stored secret is not `value` (reset meanwhile).
    @discardableResult
    func markProvisioningSecretPushed(_ mac: MACAddress, value: String, now: Double) throws -> Bool
    /// Puts a pushed, pending secret in force (its job was verified): the
    /// device's files are served only with Digest under it from now on. True
    /// when it changed something (a `provisioning-secret-in-force` event);
    /// false when it was in force already, was never pushed, or the stored
    /// secret is not `value` (reset meanwhile).
    @discardableResult
    func putProvisioningSecretInForce(_ mac: MACAddress, value: String, now: Double) throws -> Bool
    /// Forgets the device's secret (a factory-reset or replaced phone): it is
    /// back in its bootstrap window until its next verified job. A
    /// `provisioning-secret-reset` event records it, `by` who. Returns
    /// whether there was one; throws `InventoryError.notFound`.
    @discardableResult
    func resetProvisioningSecret(_ mac: MACAddress, now: Double, by: String) throws -> Bool
    /// A number that changes whenever a device or group is added, removed
    /// or changed in a way that alters rendering (not on `record`).
    func changeSequence() throws -> Int64
}

public enum InventoryError: Error, Equatable, CustomStringConvertible {
    case exists(String)
    case notFound(String)
    case groupInUse(String, devices: Int)
    case noSuchGroup(String)
    /// The default group always exists.
    case protectedGroup(String)
    case invalid(field: String, message: String)

    public var description: String {
        switch self {
        case .exists(let what): "\(what) already exists"
        case .notFound(let what): "\(what) not found"
        case .groupInUse(let name, let count): "group \(name) is used by \(count) device(s)"
        case .noSuchGroup(let name): "group \(name) does not exist"
        case .protectedGroup(let name): "group \(name) is the default group and cannot be deleted"
        case .invalid(let field, let message): "\(field): \(message)"
        }
    }
}

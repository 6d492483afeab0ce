import DHCPv4
import Foundation
import Store
import Testing

/// A device's own provisioning secret as the store keeps it (migration
/// `v7-device-provisioning-secret`): made once for a push, in force once
/// verified, forgotten by a reset; its value in no event and no description.
@Suite struct ProvisioningSecretStoreTests {
    let mac = MACAddress("0c:38:3e:00:00:01")!

    func store() throws -> SQLiteInventoryStore {
        let store = SQLiteInventoryStore(database: try SQLiteDatabase(path: temporaryStorePath()))
        try store.insert(Device(mac: mac), now: 1)
        return store
    }

    @Test func aGeneratedSecretIsLongRandomAndPlain() {
        let secrets = (0..<50).map { _ in ProvisioningSecret.generate().value }
        #expect(Set(secrets).count == 50)
        for s in secrets {
            #expect(s.count == ProvisioningSecret.length && s.count >= 32)
            #expect(s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        }
        #expect(!ProvisioningSecret.generate().isInForce)
    }

    @Test func theValueIsInNoDescriptionOfTheSecretOrItsDevice() {
        let secret = ProvisioningSecret.generate()
        let device = Device(mac: mac, provisioningSecret: secret)
        for text in ["\(secret)", String(reflecting: secret), "\(device)", String(reflecting: device), "\([device])"] {
            #expect(!text.contains(secret.value), "\(text)")
        }
    }

    @Test func madeOnceForAPushThenInForceOnceThenReset() throws {
        let store = try store()
        let revision = try #require(try store.device(mac)).revision
        let made = try store.provisioningSecretForPush(mac, now: 2)
        #expect(!made.isInForce)
        let stored = try #require(try store.device(mac))
        #expect(stored.provisioningSecret == made)
        #expect(stored.revision == revision + 1, "its file now carries it")
        #expect(try store.provisioningSecretForPush(mac, now: 3) == made, "a second push sends the same one")

        #expect(try store.putProvisioningSecretInForce(mac, value: made.value, now: 4) == false, "never pushed")
        #expect(try store.markProvisioningSecretPushed(mac, value: "not-it", now: 4) == false)
        #expect(try store.markProvisioningSecretPushed(mac, value: made.value, now: 4))
        #expect(try store.device(mac)?.revision == revision + 1, "being pushed changes nothing rendered")
        #expect(try store.putProvisioningSecretInForce(mac, value: "not-it", now: 4) == false)
        #expect(try store.putProvisioningSecretInForce(mac, value: made.value, now: 5))
        #expect(try store.device(mac)?.provisioningSecret == ProvisioningSecret(value: made.value, pushedAt: 4, inForceSince: 5))
        #expect(try store.putProvisioningSecretInForce(mac, value: made.value, now: 6) == false)

        #expect(try store.resetProvisioningSecret(mac, now: 7, by: "by test"))
        #expect(try store.device(mac)?.provisioningSecret == nil)
        #expect(try store.resetProvisioningSecret(mac, now: 8, by: "by test") == false)
        #expect(throws: InventoryError.self) { try store.resetProvisioningSecret(MACAddress("0c:38:3e:00:00:09")!, now: 9, by: "x") }

        let events = try store.events(for: mac, limit: 20)
        let kinds = events.reversed().map(\.kind)
        #expect(kinds == [.provisioningSecretCreated, .provisioningSecretInForce, .provisioningSecretReset, .provisioningSecretReset])
        for e in events {
            for text in [e.reason, e.file, e.ip, e.userAgent].compactMap({ $0 }) { #expect(!text.contains(made.value)) }
        }
        #expect(try store.provisioningSecretForPush(mac, now: 10).value != made.value, "after a reset, a new one")
    }

    @Test func adminChangesKeepTheSecretAndImportsNeverBringOne() throws {
        let store = try store()
        let made = try store.provisioningSecretForPush(mac, now: 2)
        _ = try store.update(mac, now: 3) { $0.label = "Desk" }
        try store.upsert([Device(mac: mac, label: "Desk 2"), Device(mac: MACAddress("0c:38:3e:00:00:02")!,
            provisioningSecret: ProvisioningSecret(value: "imported", inForceSince: 1))], now: 4)
        #expect(try store.device(mac)?.provisioningSecret == made)
        #expect(try store.device(MACAddress("0c:38:3e:00:00:02")!)?.provisioningSecret == nil)
    }
}

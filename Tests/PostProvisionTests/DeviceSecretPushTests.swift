import DHCPv4
import Foundation
@testable import PostProvision
import Store
import Testing

/// `per_device_secret`: the push carries the device's own provisioning
/// secret; the job's verification puts it in force; after that, a host
/// with the MAC and a lease but no Digest fetch under it is sent nothing.
@Suite struct DeviceSecretPushTests {
    let base = ProvisioningWorkerTests()
    var mac: MACAddress { base.mac }

    /// The lines, plus the credentials as the shipped push template renders
    /// them (`provisioning_username/password` of a device with a secret).
    struct SecretPush: PushItemSource {
        var carriesSecret = true
        func pushItems(for device: Device) throws -> [(key: String, value: String)] {
            var items = try ProvisioningWorkerTests.LinePush().pushItems(for: device)
            if carriesSecret, let secret = device.provisioningSecret {
                items += [("ap.DefaultUsername", device.mac.compact), ("ap.DefaultPassword", secret.value)]
            }
            return items
        }
    }

    func fixture(_ push: SecretPush = SecretPush()) throws -> (ProvisioningWorkerTests.Fixture, ProvisioningWorker) {
        var f = try base.fixture()
        f.settings.perDeviceSecret = true
        f.settings.deadline = 3
        let worker = ProvisioningWorker(
            settings: f.settings, jobs: f.jobs, inventory: f.inventory, client: f.phone, pushItems: push,
            interval: .milliseconds(20), logger: .init(label: "test"))
        return (f, worker)
    }

    func run(_ worker: ProvisioningWorker, _ f: ProvisioningWorkerTests.Fixture, until done: @escaping @Sendable (ProvisionJob?) -> Bool)
        async throws -> ProvisionJob?
    {
        try await base.run(worker, f, until: done)
    }

    @Test func theSecretIsPushedWithTheRestAndInForceOnceVerified() async throws {
        let (f, worker) = try fixture()
        try base.lease(f)
        let job = try await run(worker, f) { $0?.state.isFinal == true }
        #expect(job?.state == .verified, "\(String(describing: job))")
        let secret = try #require(try f.inventory.device(mac)?.provisioningSecret)
        #expect(secret.isInForce)
        #expect(secret.value.count >= 32)
        let pushed = f.phone.state.withLock { $0.values }
        #expect(pushed["ap.DefaultPassword"] == secret.value && pushed["ap.DefaultUsername"] == mac.compact)
        #expect(pushed["sip.line.1.RegisterPswd"] == "sip-secret", "in the same SET as the rest")
        #expect(f.phone.sets == 1)
        let kinds = try f.inventory.events(for: mac, limit: 50).map(\.kind)
        #expect(kinds.contains(.provisioningSecretCreated) && kinds.contains(.provisioningSecretInForce))
        for e in try f.inventory.events(for: mac, limit: 50) { #expect(!(e.reason ?? "").contains(secret.value)) }
        let stored = try #require(try f.jobs.job(mac))
        #expect(!(stored.reason ?? "").contains(secret.value))
    }

    @Test func aPushTemplateWithoutTheSecretIsNotSentAndTheSecretNeverComesIntoForce() async throws {
        let (f, worker) = try fixture(SecretPush(carriesSecret: false))
        try base.lease(f)
        let job = try await run(worker, f) { $0?.state.isFinal == true }
        #expect(job?.state == .failed)
        #expect(job?.reason?.contains("{{provisioning_password}}") == true, "\(String(describing: job?.reason))")
        #expect(f.phone.sets == 0)
        #expect(try f.inventory.device(mac)?.provisioningSecret?.isInForce == false)
    }

    @Test func withTheSecretInForceALeaseAloneGetsNothing() async throws {
        let (f, worker) = try fixture()
        let secret = try f.inventory.provisioningSecretForPush(mac, now: 1)
        try f.inventory.markProvisioningSecretPushed(mac, value: secret.value, now: 1)
        try f.inventory.putProvisioningSecretInForce(mac, value: secret.value, now: 2)
        #expect(try f.inventory.device(mac)?.provisioningSecret?.isInForce == true)
        // A MAC spoofer: leases with the MAC, answers info.dev.Mac with it,
        // never fetches its file with Digest under the secret.
        try base.lease(f)
        let job = try await run(worker, f) { $0?.state.isFinal == true }
        #expect(job?.state == .failed)
        #expect(job?.reason?.hasPrefix("timeout: waiting for a Digest-authenticated fetch") == true, "\(String(describing: job))")
        #expect(f.phone.state.withLock { $0.requests.isEmpty }, "not even info.dev.Mac")
    }

    @Test func aSecretWhoseSetWasRefusedNeverComesIntoForce() async throws {
        let (f, worker) = try fixture()
        f.phone.update { $0.setRetCode = 1 }
        try base.lease(f)
        let job = try await run(worker, f) { $0?.state.isFinal == true }
        #expect(job?.state == .failed && job?.reason == "set refused: RetCode 1")
        // An action URL (anyone may call one) reopens the failed job at
        // `pushed`; the phone registers with what it had: verified, but the
        // secret it never took stays pending.
        f.phone.update { $0.values["info.sip.line.1.registerCode"] = "200" }
        try f.inventory.record(events: [DeviceEvent(time: Date().timeIntervalSince1970 + 1, kind: .init(rawValue: "phone-reg-on"),
                                                    mac: mac, ip: "127.64.1.5")], contacts: [])
        let reopened = try await run(worker, f) { $0?.state == .verified }
        #expect(reopened?.state == .verified, "\(String(describing: reopened))")
        let secret = try #require(try f.inventory.device(mac)?.provisioningSecret)
        #expect(!secret.isInForce && secret.pushedAt == nil)
    }

    @Test func offNoSecretIsMadeOrPushed() async throws {
        var f = try base.fixture()
        f.settings.perDeviceSecret = false
        try base.lease(f)
        let job = try await base.run(f) { $0?.state.isFinal == true }
        #expect(job?.state == .verified)
        #expect(try f.inventory.device(mac)?.provisioningSecret == nil)
    }
}

import DHCPv4
import Foundation
@testable import PostProvision
import Store
import Testing

/// With `requireDigestFetch` (the config server serves files only with
/// Digest), a lease alone never gets a phone anything: the job waits for a
/// Digest-authenticated fetch of the device's own file from the job's
/// address during the current lease.
@Suite struct DigestFetchGateTests {
    let base = ProvisioningWorkerTests()
    var mac: MACAddress { base.mac }
    var now: Double { Date().timeIntervalSince1970 }

    func gated() throws -> ProvisioningWorkerTests.Fixture {
        var f = try base.fixture()
        f.settings.requireDigestFetch = true
        f.settings.deadline = 1.5
        return f
    }

    /// The config server's record of a Digest-authenticated fetch of the own file.
    func digestFetch(_ f: ProvisioningWorkerTests.Fixture, ip: String, at time: Double) throws {
        try f.inventory.record(
            events: [DeviceEvent(time: time, kind: .configFetch, mac: mac, ip: ip, file: mac.compact + ".cfg", status: 200)],
            contacts: [DeviceContact(mac: mac, time: time, ip: ip, model: nil, firmware: nil, fetchedOwnFile: true,
                                     digestFetch: DigestFetch(time: time, ip: ip))])
    }

    @Test func anImpostorWithTheLeaseAloneIsSentNothingAndTheJobTimesOutWaiting() async throws {
        let f = try gated()
        try base.lease(f)
        let job = try await base.run(f) { $0?.state.isFinal == true }
        #expect(job?.state == .failed)
        #expect(job?.reason == "timeout: waiting for a Digest-authenticated fetch of 0c383e000001.cfg from 127.64.1.5")
        #expect(f.phone.state.withLock { $0.requests.isEmpty }, "not even info.dev.Mac")
    }

    @Test func aDigestFetchBeforeTheCurrentLeaseDoesNotCount() async throws {
        let f = try gated()
        try digestFetch(f, ip: "127.64.1.5", at: now - 60)
        try base.lease(f)
        let job = try await base.run(f) { $0?.state.isFinal == true && $0?.trigger == "leased" }
        #expect(job?.state == .failed && job?.reason?.hasPrefix("timeout: waiting for a Digest") == true, "\(String(describing: job))")
        #expect(f.phone.sets == 0)
    }

    @Test func aDigestFetchFromAnotherAddressDoesNotCount() async throws {
        let f = try gated()
        try base.lease(f)
        try f.inventory.record(events: [], contacts: [
            DeviceContact(mac: mac, time: now + 1, ip: "127.64.1.9", model: nil, firmware: nil, fetchedOwnFile: true,
                          digestFetch: DigestFetch(time: now + 1, ip: "127.64.1.9")),
        ])
        let job = try await base.run(f) { $0?.state.isFinal == true }
        #expect(job?.state == .failed && job?.reason?.hasPrefix("timeout: waiting for a Digest") == true, "\(String(describing: job))")
        #expect(f.phone.state.withLock { $0.requests.isEmpty })
    }

    @Test func thePhoneThatFetchedWithDigestDuringItsLeaseIsVerified() async throws {
        var f = try gated()
        f.settings.deadline = 10
        try base.lease(f)
        try digestFetch(f, ip: "127.64.1.5", at: now + 0.001)
        let job = try await base.run(f) { $0?.state.isFinal == true }
        #expect(job?.state == .verified, "\(String(describing: job))")
        #expect(f.phone.sets == 1)
        #expect(try f.inventory.device(mac)?.digestFetch?.ip == "127.64.1.5")
    }

    @Test func theGateOnlyHoldsWhenTheConfigServerRequiresDigest() async throws {
        // Today's trust under leased_ip: the lease is the bootstrap window.
        let f = try base.fixture()
        try base.lease(f)
        let job = try await base.run(f) { $0?.state.isFinal == true }
        #expect(job?.state == .verified)
    }
}

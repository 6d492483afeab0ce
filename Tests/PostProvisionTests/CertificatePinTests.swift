import DHCPv4
import Foundation
@testable import PostProvision
import Store
import Testing

/// Over https a phone's certificate is pinned at its first verification,
/// and another one afterwards fails the job before anything is sent, until
/// an admin accepts the replaced phone.
@Suite struct CertificatePinTests {
    let base = ProvisioningWorkerTests()
    var mac: MACAddress { base.mac }

    func overHTTPS() throws -> ProvisioningWorkerTests.Fixture {
        var f = try base.fixture()
        f.settings.scheme = .https
        f.settings.port = 443
        return f
    }

    func pushRequested(_ f: ProvisioningWorkerTests.Fixture) throws {
        try f.inventory.record(
            events: [DeviceEvent(time: Date().timeIntervalSince1970, kind: TriggerPolicy.pushRequested, mac: mac)], contacts: [])
    }

    @Test func theFirstVerificationPinsTheCertificate() async throws {
        let f = try overHTTPS()
        try base.lease(f)
        let job = try await base.run(f) { $0?.state.isFinal == true }
        #expect(job?.state == .verified, "\(String(describing: job))")
        #expect(try f.inventory.device(mac)?.apiCertSHA256 == "AA:AA")
        #expect(try f.inventory.events(for: mac, limit: 20).contains { $0.kind == .apiCertPinned && $0.reason == "AA:AA" })
        #expect(f.phone.state.withLock { $0.probes } >= 1)
    }

    @Test func anotherCertificateFailsTheJobBeforeAnythingIsSentUntilAccepted() async throws {
        let f = try overHTTPS()
        _ = try f.inventory.pinAPICertificate(mac, sha256: "AA:AA", now: 1)
        f.phone.update { $0.fingerprint = "BB:BB" }
        try base.lease(f)
        let job = try await base.run(f) { $0?.state.isFinal == true }
        #expect(job?.state == .failed)
        #expect(job?.reason == "phone certificate changed (was AA:AA, now BB:BB); accept with 'autoprov device accept-cert 0c383e000001'")
        #expect(f.phone.state.withLock { $0.requests.isEmpty }, "not even info.dev.Mac")

        // The admin accepts the replaced phone: the next job pins the new one.
        #expect(try f.inventory.acceptAPICertificate(mac, now: 2, by: "test") == "AA:AA")
        try pushRequested(f)
        let again = try await base.run(f) { $0?.trigger == "push-requested" && $0?.state.isFinal == true }
        #expect(again?.state == .verified, "\(String(describing: again))")
        #expect(try f.inventory.device(mac)?.apiCertSHA256 == "BB:BB")
    }

    @Test func plainHTTPPinsNothing() async throws {
        let f = try base.fixture()
        try base.lease(f)
        let job = try await base.run(f) { $0?.state.isFinal == true }
        #expect(job?.state == .verified)
        #expect(try f.inventory.device(mac)?.apiCertSHA256 == nil)
        #expect(f.phone.state.withLock { $0.probes } == 0)
    }
}

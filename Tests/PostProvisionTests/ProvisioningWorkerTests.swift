import DHCPv4
import Foundation
import Logging
import PhoneAPI
@testable import PostProvision
import Store
import Testing

@Suite struct ProvisioningWorkerTests {
    let mac = MACAddress("0c:38:3e:00:00:01")!
    let ip = IPv4Address("127.64.1.5")!

    struct Fixture {
        var database: SQLiteDatabase
        var leases: SQLiteLeaseStore
        var inventory: SQLiteInventoryStore
        var jobs: SQLiteProvisionJobStore
        var phone: StandInPhone
        var settings: PostProvisionSettings
    }

    /// Items as the push template would make them (the renderer has its own tests).
    struct LinePush: PushItemSource {
        func pushItems(for device: Device) throws -> [(key: String, value: String)] {
            device.lines.flatMap { l in
                [("sip.line.\(l.index).PhoneNumber", l.number), ("sip.line.\(l.index).RegisterPswd", l.password)]
            }
        }
    }

    func fixture(path: String = NSTemporaryDirectory() + "postprov-\(UUID().uuidString).sqlite", phoneMAC: String? = nil) throws -> Fixture {
        let database = try SQLiteDatabase(path: path, synchronous: .normal)
        let inventory = SQLiteInventoryStore(database: database)
        if try inventory.device(mac) == nil {
            try inventory.insert(Device(mac: mac, adminUser: "admin", adminPassword: "adm",
                                        lines: [SIPLine(index: 1, number: "1001", password: "sip-secret", registrar: "127.0.0.1")]), now: 1)
        }
        var settings = PostProvisionSettings()
        settings.leaseGrace = 0
        settings.fetchSettle = 0
        settings.retryInitial = 0.05
        settings.retryMax = 0.2
        settings.deadline = 5
        return Fixture(database: database, leases: SQLiteLeaseStore(database: database), inventory: inventory,
                       jobs: SQLiteProvisionJobStore(database: database), phone: StandInPhone(mac: phoneMAC ?? mac.compact),
                       settings: settings)
    }

    /// Runs a worker until `done` holds for the job (or 60 s pass), then
    /// stops it. By default it polls every 20 ms and follows no change signal.
    @discardableResult
    func run(
        _ f: Fixture, interval: Duration = .milliseconds(20), changes: ChangeSignal = ChangeSignal(),
        until done: @escaping @Sendable (ProvisionJob?) -> Bool
    ) async throws -> ProvisionJob? {
        let worker = ProvisioningWorker(
            settings: f.settings, jobs: f.jobs, inventory: f.inventory, client: f.phone, pushItems: LinePush(),
            changes: changes, interval: interval, logger: Logger(label: "test"))
        return try await run(worker, f, until: done)
    }

    /// Runs `worker` until `done` holds for the job (or 60 s pass), then stops it.
    func run(
        _ worker: ProvisioningWorker, _ f: Fixture, until done: @escaping @Sendable (ProvisionJob?) -> Bool
    ) async throws -> ProvisionJob? {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await worker.run() }
            let deadline = ContinuousClock.now + .seconds(60)
            var job = try f.jobs.job(mac)
            while !done(job), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
                job = try f.jobs.job(mac)
            }
            group.cancelAll()
            return job
        }
    }

    func lease(_ f: Fixture) throws {
        try f.leases.commitBlocking(leases: [], events: [LeaseEvent(time: Date().timeIntervalSince1970, kind: .leased, mac: mac, ip: ip)])
    }

    func kinds(_ f: Fixture) throws -> [String] {
        try f.inventory.events(for: mac, limit: 50).reversed().map(\.kind.rawValue).filter { $0.hasPrefix("provision-") }
    }

    @Test func aLeaseLeadsToVerifiedThroughEveryState() async throws {
        let f = try fixture()
        try lease(f)
        let job = try await run(f) { $0?.state.isFinal == true }
        #expect(job?.state == .verified, "\(String(describing: job))")
        #expect(try kinds(f) == ["provision-reachable", "provision-pushed", "provision-verified"])
        let values = f.phone.state.withLock { $0.values }
        #expect(values["sip.line.1.RegisterPswd"] == "sip-secret" && values["sip.line.1.PhoneNumber"] == "1001")
        #expect(f.phone.state.withLock { $0.requests.allSatisfy { $0.host == "127.64.1.5" } })
    }

    @Test func withoutPollingTheStoreSignalAndDueTimesDriveAJobThroughRetries() async throws {
        // Fallback poll of an hour: the lease commit (change signal) starts
        // the job, and the next due time wakes the worker for each retry.
        let f = try fixture()
        f.phone.update { $0.failFirst = 2 }
        try lease(f)
        let job = try await run(f, interval: .seconds(3600), changes: f.database.changes) { $0?.state.isFinal == true }
        #expect(job?.state == .verified, "\(String(describing: job))")
        #expect(f.phone.state.withLock { $0.requests.count } > 2)
    }

    @Test func anotherMACAtTheAddressIsNeverPushed() async throws {
        let f = try fixture(phoneMAC: "0c383e999999")
        try lease(f)
        let job = try await run(f) { $0?.state.isFinal == true }
        #expect(job?.state == .failed)
        #expect(job?.reason == "wrong phone: 127.64.1.5 answers info.dev.Mac 0c383e999999, expected 0c383e000001")
        #expect(f.phone.sets == 0)
    }

    @Test func aRefusedSetFailsWithItsRetCode() async throws {
        let f = try fixture()
        f.phone.update { $0.setRetCode = 1 }
        try lease(f)
        let job = try await run(f) { $0?.state.isFinal == true }
        #expect(job?.state == .failed && job?.reason == "set refused: RetCode 1")
    }

    @Test func aRegistrarRefusalFailsWithTheLineAndCode() async throws {
        let f = try fixture()
        f.phone.update { $0.registerOnSet = "403" }
        try lease(f)
        let job = try await run(f) { $0?.state.isFinal == true }
        #expect(job?.state == .failed && job?.reason == "line 1 registerCode 403")
        #expect(try f.inventory.events(for: mac, limit: 1).first?.status == 403)
    }

    @Test func aPhoneThatNeverRegistersTimesOutWithTheLastCode() async throws {
        var f = try fixture()
        f.settings.deadline = 1
        f.phone.update { $0.registerOnSet = "408" }
        try lease(f)
        let job = try await run(f) { $0?.state.isFinal == true }
        #expect(job?.state == .failed && job?.reason == "timeout: line 1 registerCode 408")
    }

    @Test func anUnreachablePhoneIsRetriedThenTimesOut() async throws {
        var f = try fixture()
        f.settings.deadline = 2
        f.phone.update { $0.unreachable = true }
        try lease(f)
        let job = try await run(f) { $0?.state.isFinal == true }
        #expect(job?.state == .failed)
        #expect(job?.reason?.hasPrefix("timeout: no answer from 127.64.1.5:80 asking info.dev.Mac") == true, "\(job?.reason ?? "")")
        #expect(f.phone.state.withLock { $0.requests.count } >= 2, "retried with backoff")
    }

    @Test func aRestartResumesTheJobFromTheStore() async throws {
        let path = NSTemporaryDirectory() + "postprov-\(UUID().uuidString).sqlite"
        let first = try fixture(path: path)
        first.phone.update { $0.registerOnSet = "0" }   // pushed, not registered yet
        try lease(first)
        let pushed = try await run(first) { $0?.state == .pushed }
        #expect(pushed?.state == .pushed)
        // A new process: same store, the phone has registered meanwhile.
        let second = try fixture(path: path)
        second.phone.update { $0.values["info.sip.line.1.registerCode"] = "200" }
        let job = try await run(second) { $0?.state.isFinal == true }
        #expect(job?.state == .verified)
        #expect(second.phone.sets == 0, "the push was done before the restart")
    }

    @Test func aPushRequestRunsAVerifiedJobAgain() async throws {
        let f = try fixture()
        try lease(f)
        try await run(f) { $0?.state == .verified }
        try f.inventory.record(events: [DeviceEvent(time: Date().timeIntervalSince1970, kind: TriggerPolicy.pushRequested, mac: mac)], contacts: [])
        let job = try await run(f) { $0?.trigger == "push-requested" && $0?.state == .verified }
        #expect(job?.trigger == "push-requested" && job?.state == .verified && job?.generation == 2)
        #expect(f.phone.sets == 2)
    }
}

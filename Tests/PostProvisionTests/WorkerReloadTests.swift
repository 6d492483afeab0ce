import Reloading
import Foundation
import Logging
@testable import PostProvision
import Store
import Testing

/// `ProvisioningWorker.reload(settings:)` (SIGHUP).
@Suite struct WorkerReloadTests {
    func worker() throws -> ProvisioningWorker {
        let f = try ProvisioningWorkerTests().fixture()
        return ProvisioningWorker(
            settings: f.settings, jobs: f.jobs, inventory: f.inventory, client: f.phone,
            pushItems: ProvisioningWorkerTests.LinePush(), logger: Logger(label: "test"))
    }

    @Test func newSettingsReachThePolicyAndTheNextAttempts() throws {
        let w = try worker()
        var new = w.settings
        new.deadline = 42
        new.concurrency = 3
        new.successCodes = [200, 202]
        try w.reload(settings: new)
        let configured = w.configured.current
        #expect(configured.settings.deadline == 42 && w.settings.concurrency == 3)
        #expect(configured.attempt.settings.successCodes == [200, 202])
        #expect(configured.policy.settings.deadline == 42)
    }

    @Test func theClientsTimeoutsAndTLSNeedARestart() throws {
        let w = try worker()
        var new = w.settings
        new.requestTimeout = 1
        new.verifyTLS = true
        new.deadline = 42
        #expect(throws: ReloadRefusal(keys: ["post_provision.request_timeout", "post_provision.verify_tls"])) {
            try w.reload(settings: new)
        }
        #expect(w.settings.deadline != 42, "a refused reload changes nothing")
    }
}

import ListenerReadiness
import Testing

/// The one readiness of `serve`: what `/readyz` answers and what systemd's
/// READY=1 waits for.
@Suite struct ReadinessTests {
    @Test func readinessWaitsForEveryNamedPartInOrder() {
        let readiness = Readiness(waitingFor: [.store, .dhcp, .admin])
        #expect(!readiness.isReady)
        #expect(readiness.missing == [.store, .dhcp, .admin])
        readiness.mark(.dhcp)
        readiness.mark(.dhcp)
        readiness.mark(.sipPnP)  // not waited for: ignored
        #expect(readiness.missing == [.store, .admin])
        readiness.mark(.store)
        readiness.mark(.admin)
        #expect(readiness.isReady)
        #expect(readiness.missing.isEmpty)
        #expect(readiness.summary == "store, dhcp, admin")
    }

    @Test func stoppingIsNotReadyWhateverIsUp() {
        let readiness = Readiness(waitingFor: [.store])
        readiness.mark(.store)
        readiness.stopping()
        #expect(readiness.isUp)
        #expect(readiness.isStopping)
        #expect(!readiness.isReady)
    }

    /// One spelling everywhere: the configuration's section names.
    @Test(arguments: [
        (Listener.store, "store"), (.dhcp, "dhcp"), (.dhcpObserve, "dhcp_observe"), (.configHTTP, "config_server"),
        (.configHTTPS, "config_server_https"), (.admin, "admin"), (.sipPnP, "sip_pnp"),
    ])
    func listenersAreSpelledLikeTheirConfigSections(listener: Listener, name: String) {
        #expect(listener.rawValue == name)
        #expect("\(listener)" == name)
    }

    @Test func waitingEndsOnceEveryPartIsUp() async throws {
        let readiness = Readiness(waitingFor: [.dhcp, .admin])
        #expect(!readiness.isUp)
        readiness.mark(.dhcp)
        #expect(readiness.missing == [.admin])
        async let waited: Void = readiness.waitUntilUp()
        try await Task.sleep(for: .milliseconds(50))
        readiness.mark(.admin)
        try await waited
        #expect(readiness.isUp)
        try await readiness.waitUntilUp()  // already up: returns at once
    }

    @Test func waitingEndsOnCancellation() async {
        let readiness = Readiness(waitingFor: [.sipPnP])
        let result = await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await readiness.waitUntilUp()) != nil }
            group.cancelAll()
            return await group.next()!
        }
        #expect(result == false)
    }
}

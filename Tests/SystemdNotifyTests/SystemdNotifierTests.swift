import Foundation
import ListenerReadiness
import Logging
import ServiceLifecycle
import SystemdNotify
import Synchronization
import Testing

@Suite struct SystemdNotifierTests {
    @Test func sendsEachStateAsOneDatagramToAPathSocket() async throws {
        let socket = try NotifySocket()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.name])
        #expect(notifier.isEnabled)
        #expect(try notifier.ready(status: "serving: dhcp"))
        #expect(await socket.receive() == "READY=1\nSTATUS=serving: dhcp")
        try notifier.watchdog()
        #expect(await socket.receive() == "WATCHDOG=1")
        try notifier.stopping()
        #expect(await socket.receive() == "STOPPING=1")
        try notifier.status("two\nlines")
        #expect(await socket.receive() == "STATUS=two lines")
    }

    @Test func abstractNamespaceWhenTheNameStartsWithAt() async throws {
        let socket = try NotifySocket(abstract: true)
        #expect(socket.name.hasPrefix("@"))
        try SystemdNotifier(socket: socket.name).ready()
        #expect(await socket.receive() == "READY=1")
    }

    @Test func withoutNotifySocketNothingIsSent() throws {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        #expect(try notifier.ready() == false)
        #expect(SystemdNotifier(socket: "").isEnabled == false)
    }

    @Test func aMissingOrBadSocketIsAnError() {
        #expect(throws: SystemdNotifyError.self) { try SystemdNotifier(socket: "/nonexistent-dir/notify").ready() }
        #expect(throws: SystemdNotifyError.self) { try SystemdNotifier(socket: "relative/notify").ready() }
        #expect(throws: SystemdNotifyError.self) {
            try SystemdNotifier(socket: "/" + String(repeating: "x", count: 200)).ready()
        }
    }

    @Test func watchdogFromTheEnvironment() {
        let pid = getpid()
        #expect(SystemdWatchdog(environment: [:]) == nil)
        #expect(SystemdWatchdog(environment: ["WATCHDOG_USEC": "0"]) == nil)
        #expect(SystemdWatchdog(environment: ["WATCHDOG_USEC": "x"]) == nil)
        let dog = SystemdWatchdog(environment: ["WATCHDOG_USEC": "3000000"])
        #expect(dog?.timeout == .seconds(3))
        #expect(dog?.pingInterval == .milliseconds(1500))
        #expect(SystemdWatchdog(environment: ["WATCHDOG_USEC": "3000000", "WATCHDOG_PID": "\(pid)"]) != nil)
        #expect(SystemdWatchdog(environment: ["WATCHDOG_USEC": "3000000", "WATCHDOG_PID": "\(pid + 1)"]) == nil)
    }

    @Test func lifecycleServiceSendsReadyThenStoppingAndWatchdogPings() async throws {
        let socket = try NotifySocket()
        let notifier = SystemdNotifier(socket: socket.name)
        let readiness = Readiness(waitingFor: [.store, .dhcp])
        readiness.mark(.store)
        let logger = Logger(label: "test")
        let stopped = Mutex(0)
        let group = ServiceGroup(configuration: .init(services: [
            SystemdWatchdogService(notifier: notifier, watchdog: SystemdWatchdog(timeout: .milliseconds(200)), logger: logger),
            SystemdLifecycleService(notifier: notifier, readiness: readiness, logger: logger, onStopping: {
                stopped.withLock { $0 += 1 }
            }),
        ], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(await socket.receive() == "WATCHDOG=1")
            try await Task.sleep(for: .milliseconds(50))
            readiness.mark(.dhcp)
            // Until READY=1 and three more pings came (however they
            // interleave), each datagram waited for with a deadline.
            var seen: [String] = []
            while !(seen.contains { $0.hasPrefix("READY=1") } && seen.count { $0 == "WATCHDOG=1" } >= 3),
                  let message = await socket.receive() {
                seen.append(message)
            }
            #expect(seen.filter { $0.hasPrefix("READY=1") } == ["READY=1\nSTATUS=serving: store, dhcp"])
            #expect(seen.count { $0 == "WATCHDOG=1" } >= 3)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            var rest: [String] = []
            while let message = socket.poll() { rest.append(message) }
            #expect(rest.filter { $0.hasPrefix("STOPPING=1") }.count == 1)
            #expect(stopped.withLock { $0 } == 1, "onStopping ran once, with STOPPING=1")
        }
    }
}

import DHCPv4
import Foundation
import Logging
import ServiceLifecycle
import Store
import Synchronization

/// Writes fetch events and what fetches taught about phones in batches, so
/// that serving a file does not wait for a commit: the first event recorded
/// wakes it, it collects for `interval`, then writes them all in one
/// transaction (idle, it does not wake at all). At most `interval` of
/// events can be lost in a crash. The provisioning worker follows fetch and
/// action URL events; losing one only delays a job until the lease's grace
/// runs out (lease events are committed before the ACK). Runs as a service;
/// flushes what is left on shutdown.
public final class FetchRecorder: Service, Sendable {
    struct Pending {
        var events: [DeviceEvent] = []
        var contacts: [DeviceContact] = []
        var dropped = 0
    }

    let store: any InventoryStore
    let interval: Duration
    let limit: Int
    let logger: Logger
    private let pending = Mutex(Pending())
    private let recorded = ChangeSignal()

    public init(store: any InventoryStore, interval: Duration = .milliseconds(100), limit: Int = 100_000, logger: Logger) {
        self.store = store
        self.interval = interval
        self.limit = limit
        self.logger = logger
    }

    public func record(_ event: DeviceEvent, contact: DeviceContact?) {
        pending.withLock { p in
            guard p.events.count < limit else {
                p.dropped += 1
                return
            }
            p.events.append(event)
            if let contact { p.contacts.append(contact) }
        }
        recorded.notify()
    }

    public func run() async throws {
        var seen = recorded.generation
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let caughtUp = seen
            seen = await waitUntilShutdown { await self.recorded.wait(after: caughtUp, timeout: .seconds(3600)) } ?? seen
            guard !Task.isShuttingDownGracefully && !Task.isCancelled else { break }
            _ = await waitUntilShutdown { try? await Task.sleep(for: self.interval) }
            flush()
        }
        flush()
    }

    /// Runs `body` until it returns or graceful shutdown begins (nil then).
    private func waitUntilShutdown<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T? {
        let value = await cancelWhenGracefulShutdown { await body() }
        return Task.isShuttingDownGracefully || Task.isCancelled ? nil : value
    }

    /// One contact per device (its newest, keeping any own-file fetch and
    /// any model learned), so a phone fetching 1,000 times costs one update.
    static func latestPerDevice(_ contacts: [DeviceContact]) -> [DeviceContact] {
        var latest: [DHCPv4.MACAddress: DeviceContact] = [:]
        for contact in contacts {
            guard var merged = latest[contact.mac] else {
                latest[contact.mac] = contact
                continue
            }
            merged.fetchedOwnFile = merged.fetchedOwnFile || contact.fetchedOwnFile
            if let proof = contact.digestFetch, proof.time >= merged.digestFetch?.time ?? -.infinity {
                merged.digestFetch = proof
            }
            merged.time = max(merged.time, contact.time)
            merged.ip = contact.ip ?? merged.ip
            merged.model = contact.model ?? merged.model
            merged.firmware = contact.firmware ?? merged.firmware
            latest[contact.mac] = merged
        }
        return latest.values.sorted { $0.mac < $1.mac }
    }

    /// Writes everything pending now (also used by tests and on shutdown).
    public func flush() {
        let batch = pending.withLock { p -> Pending in
            let batch = p
            p = Pending()
            return batch
        }
        if batch.dropped > 0 {
            logger.warning("fetch events dropped: the store is not keeping up", metadata: ["dropped": "\(batch.dropped)"])
        }
        guard !batch.events.isEmpty || !batch.contacts.isEmpty else { return }
        do {
            try store.record(events: batch.events, contacts: Self.latestPerDevice(batch.contacts))
        } catch {
            logger.error("fetch events not recorded", metadata: ["count": "\(batch.events.count)", "error": "\(error)"])
        }
    }
}

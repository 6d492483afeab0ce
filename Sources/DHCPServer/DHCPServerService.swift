import DHCPv4
import Reloading
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Store
import Synchronization
import UnixSignals

/// The DHCP responder as one long-running service: binds one transport per
/// interface (`UDPTransport`, or `PcapTransport` for `transport: raw`) on an
/// event loop of its own, commits leases on a commit
/// thread (`CommitPipeline`), follows admin changes made in the store,
/// sweeps expired leases, and on graceful shutdown closes its sockets, then
/// commits what is queued before returning.
public final class DHCPServerService: Service, Sendable {
    /// As started: the parts a reload cannot change (see `reload`).
    private let settings: ServerSettings
    /// The latest settings a reload applied, for an engine not yet running.
    private let reloaded = Mutex<ServerSettings?>(nil)
    private let bindings: [InterfaceBinding]
    private let store: any LeaseStore
    private let logger: Logger
    private let metrics = DHCPMetrics()
    private let dropLog: DropLog
    private let clock: ServerClock
    private let pools: PoolGauges
    /// The running engine, for `refreshGauges` (nil before `run` and after).
    private let running = Mutex<DHCPEngine?>(nil)
    private let onListening: @Sendable () async -> Void

    /// `onListening` runs once every interface's socket is bound (readiness).
    public init(
        settings: ServerSettings, bindings: [InterfaceBinding], store: any LeaseStore, logger: Logger,
        clock: ServerClock = ServerClock(), onListening: @escaping @Sendable () async -> Void = {}
    ) {
        self.clock = clock
        self.onListening = onListening
        pools = PoolGauges(subnets: settings.subnets)
        self.settings = settings
        self.bindings = bindings
        self.store = store
        self.logger = logger
        dropLog = DropLog(logger: logger)
    }

    public func run() async throws {
        let leases = try store.allLeases()
        // Before the sockets are bound: whoever sees port 67 open can read it.
        logger.info("leases loaded from store", metadata: ["count": "\(leases.count)"])
        let engine = DHCPEngine(settings: reloaded.withLock { $0 } ?? settings, leases: leases)
        let groupCommit = GroupCommit(store: store, batchSize: settings.commitBatch, logger: logger)
        let pipeline = CommitPipeline(groupCommit: groupCommit) { [metrics] sent, withheld in
            metrics.sent(.ack, count: sent)
            engine.withdraw(withheld)
            metrics.dropped(.commitFailed, count: withheld.count { $0.reply != nil })
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { group.shutdownGracefully { _ in } }
        let onRequest: DHCPReceive = { [self] bytes, transport in receive(bytes, from: transport, engine: engine) }
        let onCommit: DHCPCommit = { [self] pending, transport in
            guard !pipeline.submit(pending, via: transport) else { return }
            engine.withdraw(pending)
            metrics.dropped(.overloaded, count: pending.count)
            dropLog.log(.overloaded, "commit queue full, \(pending.count) requests", interface: transport.binding.name, now: clock.now)
        }
        let (transports, captures) = try await openTransports(group: group, receive: onRequest, commit: onCommit)
        running.withLock { $0 = engine }
        defer { running.withLock { $0 = nil } }
        refreshGauges()
        await onListening()
        let lastEvent = try store.lastEventID()
        let failure: (any Error)? = await withTaskGroup(of: Stop.self) { tasks in
            tasks.addTask { [self] in
                try? await cancelWhenGracefulShutdown { try await self.maintain(engine, after: lastEvent) }
                return .finished
            }
            tasks.addTask { [self] in
                for await _ in await UnixSignalsSequence(trapping: .sigusr1).cancelOnGracefulShutdown() {
                    logStats(engine, transports: transports)
                }
                return .finished
            }
            for capture in captures {
                tasks.addTask {
                    do {
                        try await cancelWhenGracefulShutdown { try await capture.run() }
                        return .finished
                    } catch is CancellationError {
                        return .finished
                    } catch {
                        return .failed(error)
                    }
                }
            }
            tasks.addTask {
                try? await gracefulShutdown()
                return .shutdown
            }
            // Until graceful shutdown, or a capture fails (then the
            // service fails, and with it the process: better restarted by
            // systemd than silently deaf on one interface).
            var failure: (any Error)?
            while let stop = await tasks.next() {
                if case .shutdown = stop { break }
                if case let .failed(error) = stop {
                    failure = error
                    logger.critical("raw transport failed", metadata: ["error": "\(error)"])
                    break
                }
            }
            logger.notice("shutting down: closing sockets, committing what is queued")
            for transport in transports { await transport.close() }
            await pipeline.shutdown()
            tasks.cancelAll()
            return failure
        }
        dropLog.flush(now: .max)
        logStats(engine, transports: transports)
        if let failure { throw failure }
    }

    /// One transport per binding: `PcapTransport` on the raw interfaces,
    /// `UDPTransport` on the others. Returns all of them, and the raw ones
    /// (whose readers `run` drives).
    private func openTransports(
        group: any EventLoopGroup, receive: @escaping DHCPReceive, commit: @escaping DHCPCommit
    ) async throws -> (all: [any DHCPTransport], captures: [PcapTransport]) {
        var transports: [any DHCPTransport] = []
        var captures: [PcapTransport] = []
        for binding in bindings {
            let raw = settings.rawInterfaces.contains(binding.name)
            if raw {
                let capture = try await PcapTransport.open(
                    binding: binding, subnetBroadcast: settings.subnets[binding.subnetIndex].broadcast,
                    port: settings.port, group: group, logger: logger, receive: receive, commit: commit,
                    dropFrame: { [self] detail, transport in
                        metrics.received(nil)
                        metrics.dropped(.malformed)
                        dropLog.log(.malformed, detail, interface: transport.binding.name, now: clock.now)
                    })
                captures.append(capture)
                transports.append(capture)
            } else {
                transports.append(try await UDPTransport.bind(
                    binding: binding, port: settings.port, receiveBuffer: settings.receiveBuffer, group: group,
                    receive: receive, commit: commit))
            }
            logger.notice("listening", metadata: [
                "interface": "\(binding.name)", "address": "\(binding.address)", "port": "\(settings.port)",
                "subnet": "\(settings.subnets[binding.subnetIndex].name)", "transport": raw ? "raw" : "udp",
            ])
        }
        return (transports, captures)
    }

    private enum Stop: Sendable {
        case finished, shutdown
        case failed(any Error)
    }

    /// Applies new settings to the running server (SIGHUP): classes,
    /// reservations, pools, options, lease times and policies; the next
    /// request is answered with them. Refused, changing nothing, when a key
    /// that needs a restart differs.
    public func reload(_ new: ServerSettings) throws(ReloadRefusal) {
        let keys = settings.restartNeeded(toApply: new)
        guard keys.isEmpty else { throw ReloadRefusal(keys: keys) }
        try running.withLock { $0 }?.reload(new)
        reloaded.withLock { $0 = new }
        refreshGauges()
    }

    /// Sets the per-subnet lease gauges from the lease table (every few
    /// seconds, and before each scrape of `/metrics`).
    public func refreshGauges() {
        guard let engine = running.withLock({ $0 }) else { return }
        pools.update(engine.occupancy(now: clock.now))
    }

    /// One line with every counter and the bound leases per subnet.
    private func logStats(_ engine: DHCPEngine, transports: [any DHCPTransport]) {
        var fields = metrics.summary()
        for (subnet, bound) in engine.boundCounts(now: clock.now) { fields["bound[\(subnet)]"] = "\(bound)" }
        let kernel = KernelUDPCounters.read()
        if let rcvbuf = kernel["RcvbufErrors"] { fields["kernel_udp_rcvbuf_errors"] = "\(rcvbuf)" }
        if let inErrors = kernel["InErrors"] { fields["kernel_udp_in_errors"] = "\(inErrors)" }
        for transport in transports {
            if let drops = transport.captureDrops { fields["pcap_kernel_drops[\(transport.binding.name)]"] = "\(drops)" }
        }
        logger.notice("stats", metadata: fields.mapValues { .string($0) })
    }

    /// Handles one datagram on the event loop: a reply that needs no commit
    /// goes out at once; one that does waits for the burst's group commit.
    private func receive(_ bytes: [UInt8], from transport: any DHCPTransport, engine: DHCPEngine) -> ReceiveDecision {
        let now = clock.now
        let outcome = engine.handle(datagram: bytes, on: transport.binding, now: now)
        metrics.received(outcome.requestType)
        if let (reason, detail) = outcome.drop {
            metrics.dropped(reason)
            dropLog.log(reason, detail, interface: transport.binding.name, now: now)
            return .none
        }
        let reply = outcome.reply.map { OutboundDatagram(bytes: $0.message.encode(), destination: $0.destination) }
        guard outcome.needsCommit else {
            guard let reply, let message = outcome.reply?.message else { return .none }
            metrics.sent(message.messageType)
            return .reply(reply)
        }
        for event in outcome.events {
            logger.info("\(Self.describe(event.kind))", metadata: [
                "mac": "\(event.mac)", "ip": "\(event.ip)", "class": "\(event.className ?? "-")",
                "interface": "\(transport.binding.name)",
            ])
        }
        return .commitThenReply(PendingCommit(leases: outcome.leases, events: outcome.events, reply: reply, undo: outcome.undo))
    }

    static func describe(_ kind: LeaseEvent.Kind) -> String {
        switch kind {
        case .leased: "lease granted"
        case .renewed: "lease renewed"
        case .released: "lease released by client"
        case .declined: "address declined by client, quarantined"
        case .expired: "lease expired"
        }
    }

    /// Once a second: applies releases made by `autoprov lease release`
    /// (admin events in the store) to the running table. Every ten seconds:
    /// turns bound leases past their expiry into expired ones, with events.
    private func maintain(_ engine: DHCPEngine, after start: Int64) async throws {
        var last = start
        var ticks = 0
        while true {
            try await Task.sleep(for: .seconds(1))
            ticks += 1
            dropLog.flush(now: clock.now)
            try store.housekeeping()
            // Only the admin events are read: under a DHCP flood the
            // server's own events are thousands a second.
            var page: LeaseEventPage
            repeat {
                page = try store.events(after: last, limit: 1000, origin: .admin)
                last = page.last
                for event in page.events {
                    for lease in try store.leases(matching: LeaseFilter(ip: event.ip), now: clock.now) {
                        engine.apply(external: lease)
                        logger.notice("lease changed by admin", metadata: [
                            "mac": "\(lease.mac)", "ip": "\(lease.ip)", "state": "\(lease.state.rawValue)",
                        ])
                    }
                }
            } while page.full
            if ticks % 5 == 0 { refreshGauges() }
            if ticks % 10 == 0 {
                let (leases, expiredEvents) = engine.expire(now: clock.now)
                if !leases.isEmpty {
                    try await store.commit(leases: leases, events: expiredEvents)
                    logger.info("leases expired", metadata: ["count": "\(leases.count)"])
                }
            }
        }
    }
}

import DHCPv4
import Foundation
import Logging
import PacketCapture
import ServiceLifecycle
import Store

/// Observe mode (`dhcp.interfaces: [{name: IF, mode: observe}]`): another
/// DHCP server answers on these interfaces; autoprov only listens. One
/// libpcap handle per interface (filter `udp and (port 67 or port 68)`,
/// promiscuous, so that a mirror port shows the server's unicast replies),
/// each read on a thread of its own; every frame is decoded and handed to
/// one `LeaseLearner`, whose leases and events are committed to the store
/// with origin `observed`. The provisioning worker and the config server
/// read them like the DHCP server's own. Nothing is ever sent: no socket
/// is opened and no frame injected.
public final class ObserveService: Service, Sendable {
    public static let captureFilter = "udp and (port 67 or port 68)"

    private let interfaces: [String]
    private let store: any LeaseStore
    private let filter: ObserveFilter
    private let logger: Logger
    private let metrics = ObserveMetrics()
    private let sweepInterval: Duration
    private let onOpen: @Sendable () async -> Void

    /// `onOpen` runs once every handle is open (readiness).
    public init(
        interfaces: [String], store: any LeaseStore, filter: ObserveFilter, logger: Logger,
        sweepInterval: Duration = .seconds(10), onOpen: @escaping @Sendable () async -> Void = {}
    ) {
        self.interfaces = interfaces
        self.store = store
        self.filter = filter
        self.logger = logger
        self.sweepInterval = sweepInterval
        self.onOpen = onOpen
    }

    /// What the learning task is handed.
    enum Input: Sendable {
        case message(DHCPMessage, source: IPv4Address, time: Double)
        /// Time to end the learned leases past their expiry.
        case sweep
    }

    public func run() async throws {
        let learner = LeaseLearner(filter: filter, leases: try store.allLeases())
        var handles: [PcapHandle] = []
        var options = PcapHandle.Options()
        options.promiscuous = true
        for name in interfaces {
            do {
                handles.append(try PcapHandle(interface: name, filter: Self.captureFilter, options: options))
            } catch {
                logger.error("cannot observe DHCP", metadata: ["interface": "\(name)", "error": "\(error)"])
                throw error
            }
            logger.notice("observing DHCP (never sending)", metadata: ["interface": "\(name)"])
        }
        logger.info("observed leases loaded from store", metadata: ["count": "\(learner.bound.count)"])
        let opened = handles
        await onOpen()
        let (stream, continuation) = AsyncStream.makeStream(of: Input.self, bufferingPolicy: .bufferingNewest(8192))
        defer { continuation.finish() }
        do {
            try await cancelWhenGracefulShutdown { [self] in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for handle in opened {
                        group.addTask { [metrics] in
                            try await PcapReader.run(handle, name: "observe") { frame in
                                if let input = Self.decode(frame, metrics: metrics) { continuation.yield(input) }
                            }
                        }
                    }
                    group.addTask { [sweepInterval] in
                        while true {
                            try await Task.sleep(for: sweepInterval)
                            continuation.yield(.sweep)
                        }
                    }
                    group.addTask { [self] in await learn(from: stream, learner: learner) }
                    try await group.waitForAll()
                }
            }
        } catch is CancellationError {
            // Graceful shutdown.
        }
        logger.notice("stopped observing DHCP")
    }

    /// A captured frame as a DHCP message, counted; nil (counted as
    /// malformed) when it is not one.
    static func decode(_ frame: CapturedFrame, metrics: ObserveMetrics) -> Input? {
        guard let udp = try? UDPFrame.decode(frame), let message = try? DHCPMessage.decode(udp.payload) else {
            metrics.malformed()
            return nil
        }
        metrics.seen(message.messageType)
        return .message(message, source: udp.sourceIP, time: frame.timestamp)
    }

    private func learn(from stream: AsyncStream<Input>, learner start: LeaseLearner) async {
        var learner = start
        for await input in stream {
            let result: LeaseLearner.Result
            switch input {
            case let .message(message, source, time):
                if let mac = wouldRenewALeaseReleasedMeanwhile(message, learner: learner, now: time) { learner.forget(mac) }
                result = learner.observe(message, source: source, at: time)
            case .sweep:
                result = learner.expire(now: Date().timeIntervalSince1970)
            }
            if let reason = result.ignored { metrics.ignored(reason) }
            guard !result.leases.isEmpty || !result.events.isEmpty else { continue }
            do {
                try await store.commit(leases: result.leases, events: result.events)
            } catch {
                logger.error("cannot record an observed lease", metadata: ["error": "\(error)"])
                continue
            }
            metrics.learned(result.events.filter { $0.kind == .leased || $0.kind == .renewed }.count)
            for event in result.events {
                let lease = result.leases.first { $0.ip == event.ip }
                logger.info("observed: \(event.kind.rawValue)", metadata: [
                    "mac": "\(event.mac)", "ip": "\(event.ip)", "class": "\(event.className ?? "-")",
                    "server": "\(lease?.server.map { "\($0)" } ?? "-")",
                ])
            }
        }
    }

    /// The MAC of an ACK the learner would call a renewal although the store
    /// no longer has that lease bound (an admin released it meanwhile); nil
    /// otherwise. One store read per renewal of a learned lease, none for
    /// anything else.
    private func wouldRenewALeaseReleasedMeanwhile(_ message: DHCPMessage, learner: LeaseLearner, now: Double) -> MACAddress? {
        guard message.op == .bootReply, message.messageType == .ack, let mac = message.clientMAC,
              let held = learner.bound[mac], held.ip == message.yiaddr else { return nil }
        guard let bound = try? store.leases(matching: LeaseFilter(ip: held.ip, state: .bound), now: Int64(now)) else {
            return nil
        }
        return bound.contains { $0.mac == mac } ? nil : mac
    }
}

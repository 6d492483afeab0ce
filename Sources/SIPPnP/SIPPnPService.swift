import DHCPv4
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// SIP PnP as a `Service`: one `PnPSocket` per configured interface, and
/// one task that owns the `PnPResponder` and is fed every datagram and a
/// 100 ms tick (NOTIFY retransmissions) through one stream. Ends on
/// graceful shutdown or cancellation, closing its sockets.
///
/// Answered: a MAC matching a DHCP class's OUIs or MACs, or a device of the
/// inventory (`isKnown`). Everything else is counted and dropped; drops are
/// logged at debug level with their reason, source and MAC, never the packet.
public struct SIPPnPService: Service {
    public var settings: SIPPnPSettings
    let isKnown: @Sendable (MACAddress) -> Bool
    let record: @Sendable (PnPAnswer) -> Void
    let onListening: @Sendable () -> Void
    let logger: Logger

    public init(
        settings: SIPPnPSettings, logger: Logger,
        isKnown: @escaping @Sendable (MACAddress) -> Bool = { _ in false },
        record: @escaping @Sendable (PnPAnswer) -> Void = { _ in },
        onListening: @escaping @Sendable () -> Void = {}
    ) {
        self.settings = settings
        self.isKnown = isKnown
        self.record = record
        self.onListening = onListening
        self.logger = logger
    }

    enum Input: Sendable {
        case datagram(PnPDatagram)
        case tick
    }

    public func run() async throws {
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let (inputs, sink) = AsyncStream.makeStream(of: Input.self, bufferingPolicy: .bufferingNewest(4096))
        var opened: [PnPSocket] = []
        do {
            for (index, name) in settings.interfaces.enumerated() {
                opened.append(try await PnPSocket.open(
                    index: index, name: name, port: settings.port, group: settings.group, loopGroup: loops,
                    receive: { sink.yield(.datagram($0)) }))
            }
        } catch {
            for socket in opened { await socket.close() }
            try? await loops.shutdownGracefully()
            throw error
        }
        let sockets = opened
        for socket in sockets {
            logger.info("listening", metadata: [
                "interface": "\(socket.name)", "address": "\(socket.address)", "port": "\(settings.port)",
                "group": "\(settings.group)",
            ])
        }
        onListening()
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { tasks in
                tasks.addTask {
                    while (try? await Task.sleep(for: .milliseconds(100))) != nil { sink.yield(.tick) }
                    sink.finish()
                }
                await serve(inputs, sockets: sockets)
                tasks.cancelAll()
            }
        }
        for socket in sockets { await socket.close() }
        try? await loops.shutdownGracefully()
    }

    private func serve(_ inputs: AsyncStream<Input>, sockets: [PnPSocket]) async {
        let settings = settings, isKnown = isKnown
        var responder = PnPResponder(
            localAddresses: sockets.map(\.address), localPort: settings.port, url: settings.url,
            admit: { settings.matchesClass($0.mac) || isKnown($0.mac) })
        let metrics = PnPMetrics()
        let clock = ContinuousClock(), start = clock.now
        func seconds() -> Double {
            let elapsed = clock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        for await input in inputs {
            switch input {
            case let .datagram(datagram):
                let reaction = responder.receive(datagram, now: seconds())
                metrics.count(reaction.outcome)
                for out in reaction.send { sockets[out.interface].send(out) }
                if let answer = reaction.answer {
                    logger.info("answered", metadata: [
                        "mac": "\(answer.subscribe.mac)", "ip": "\(answer.host)", "agent": "\(answer.subscribe.agent ?? "-")",
                        "url": "\(answer.url)",
                    ])
                    record(answer)
                } else if reaction.outcome != .retransmission && reaction.outcome != .notifyAnswered {
                    logger.debug("dropped", metadata: [
                        "reason": "\(reaction.outcome.rawValue)", "source": "\(datagram.host):\(datagram.port)",
                        "interface": "\(sockets[datagram.interface].name)", "bytes": "\(datagram.bytes.count)",
                    ])
                }
            case .tick:
                let (send, gaveUp) = responder.tick(now: seconds())
                for out in send { sockets[out.interface].send(out) }
                for answer in gaveUp {
                    metrics.notifyGaveUp.increment()
                    logger.info("NOTIFY unanswered", metadata: ["mac": "\(answer.subscribe.mac)", "ip": "\(answer.host)"])
                }
            }
        }
    }
}

extension SIPPnPService: CustomStringConvertible {
    /// What ServiceLifecycle logs for it (not every setting).
    public var description: String { "SIPPnPService(\(settings.interfaces.joined(separator: ",")):\(settings.port))" }
}

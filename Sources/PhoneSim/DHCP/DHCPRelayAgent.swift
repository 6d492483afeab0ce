#if canImport(Glibc)
import Glibc
#endif
import DHCPv4
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The fleet's DHCP relay agent (RFC 1542): ONE UDP socket on
/// `relay:port`, bound to a device with SO_BINDTODEVICE, that forwards every
/// phone's BOOTREQUEST to the server with giaddr = relay and hops = 1, and
/// hands each BOOTREPLY to the phone waiting on its xid.
///
/// The server's own socket is `0.0.0.0:67` on the same device; for unicast
/// to `relay:67` Linux scores an exact local address plus device above a
/// wildcard plus device, so replies reach this socket.
public final class DHCPRelayAgent: Sendable {
    private struct Waiter {
        var accepting: Set<MessageType>
        var continuation: CheckedContinuation<DHCPMessage?, Never>
    }

    public let relay: IPv4Address
    private let server: SocketAddress
    private let channel: any Channel
    private let waiters: NIOLockedValueBox<[UInt32: Waiter]>

    private init(relay: IPv4Address, server: SocketAddress, channel: any Channel, waiters: NIOLockedValueBox<[UInt32: Waiter]>) {
        self.relay = relay
        self.server = server
        self.channel = channel
        self.waiters = waiters
    }

    /// Binds the relay socket. `device` nil: no SO_BINDTODEVICE (tests).
    public static func start(
        relay: IPv4Address, port: Int, device: String?, server: String, serverPort: Int, group: any EventLoopGroup
    ) async throws -> DHCPRelayAgent {
        let waiters = NIOLockedValueBox<[UInt32: Waiter]>([:])
        let serverAddress = try SocketAddress(ipAddress: server, port: serverPort)
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
            .channelInitializer { channel in
                let deliver: @Sendable (DHCPMessage) -> Void = { message in
                    guard let type = message.messageType else { return }
                    let waiter: Waiter? = waiters.withLockedValue { table in
                        guard let waiter = table[message.xid], waiter.accepting.contains(type) else { return nil }
                        table.removeValue(forKey: message.xid)
                        return waiter
                    }
                    waiter?.continuation.resume(returning: message)
                }
                guard let device else {
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(RelayReplyHandler(deliver: deliver))
                    }
                }
                guard let provider = channel as? any SocketOptionProvider else {
                    return channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
                }
                return provider.unsafeSetSocketOption(
                    level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_BINDTODEVICE), value: deviceName(device)
                ).flatMapThrowing {
                    try channel.pipeline.syncOperations.addHandler(RelayReplyHandler(deliver: deliver))
                }
            }
            .bind(host: relay.description, port: port).get()
        return DHCPRelayAgent(relay: relay, server: serverAddress, channel: channel, waiters: waiters)
    }

    /// Sends `request` (giaddr and hops set here) and waits up to `timeout`
    /// for a reply with its xid and one of the `accepting` types. `nil` on
    /// timeout or cancellation. One exchange per xid at a time.
    public func exchange(_ request: DHCPMessage, accepting: Set<MessageType>, timeout: TimeAmount) async -> DHCPMessage? {
        var message = request
        message.giaddr = relay
        message.hops = 1
        let xid = message.xid
        let bytes = message.encode()
        let waiters = waiters
        let channel = channel
        let server = server
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<DHCPMessage?, Never>) in
                let replaced = waiters.withLockedValue { table in
                    table.updateValue(Waiter(accepting: accepting, continuation: continuation), forKey: xid)
                }
                replaced?.continuation.resume(returning: nil)
                if Task.isCancelled { Self.giveUp(xid, waiters) }
                channel.eventLoop.scheduleTask(in: timeout) { Self.giveUp(xid, waiters) }
                let envelope = AddressedEnvelope(remoteAddress: server, data: channel.allocator.buffer(bytes: bytes))
                channel.writeAndFlush(envelope, promise: nil)
            }
        } onCancel: {
            Self.giveUp(xid, waiters)
        }
    }

    private static func giveUp(_ xid: UInt32, _ waiters: NIOLockedValueBox<[UInt32: Waiter]>) {
        waiters.withLockedValue { $0.removeValue(forKey: xid) }?.continuation.resume(returning: nil)
    }

    public func close() async {
        try? await channel.close()
        let pending = waiters.withLockedValue { table in
            defer { table.removeAll() }
            return Array(table.values)
        }
        for waiter in pending { waiter.continuation.resume(returning: nil) }
    }

    /// The 16-byte, NUL-padded interface name SO_BINDTODEVICE takes.
    private static func deviceName(_ name: String) -> (
        CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar
    ) {
        var n = [CChar](repeating: 0, count: 16)
        for (i, byte) in name.utf8.prefix(15).enumerated() { n[i] = CChar(bitPattern: byte) }
        return (n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9], n[10], n[11], n[12], n[13], n[14], n[15])
    }
}

/// Decodes BOOTREPLYs arriving on the relay socket; anything else is dropped.
private final class RelayReplyHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let deliver: @Sendable (DHCPMessage) -> Void

    init(deliver: @escaping @Sendable (DHCPMessage) -> Void) { self.deliver = deliver }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard let message = try? DHCPMessage.decode(Array(envelope.data.readableBytesView)),
              message.op == .bootReply else { return }
        deliver(message)
    }
}

#if canImport(Glibc)
import Glibc
#endif
import DHCPv4
import NIOCore
import NIOPosix

/// One UDP socket on 0.0.0.0:port bound to a single interface with
/// SO_BINDTODEVICE, so replies (broadcasts included) leave by that
/// interface only and requests from other interfaces are never seen.
///
/// Reads are vectored (recvmmsg). Within one read burst, replies that need
/// no commit are written as they are decided and flushed when the burst
/// ends; the burst's lease changes are handed to the commit pipeline, which
/// sends their replies back in one batch once committed. The kernel sees
/// sendmmsg batches rather than a call per packet.
public final class UDPTransport: DHCPTransport {
    public let binding: InterfaceBinding
    private let channel: any Channel

    private init(binding: InterfaceBinding, channel: any Channel) {
        self.binding = binding
        self.channel = channel
    }

    /// Binds 0.0.0.0:`port` on the binding's interface; `host` binds one
    /// address instead (the raw transport's unicast socket).
    public static func bind(
        binding: InterfaceBinding, host: String = "0.0.0.0", port: Int, receiveBuffer: Int, group: any EventLoopGroup,
        receive: @escaping DHCPReceive, commit: @escaping DHCPCommit
    ) async throws -> UDPTransport {
        let box = TransportBox()
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(.so_broadcast), value: 1)
            .channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(receiveBuffer))
            .channelOption(.socketOption(.so_sndbuf), value: 4 << 20)
            .channelOption(.datagramVectorReadMessageCount, value: 64)
            .channelOption(.maxMessagesPerRead, value: 4)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 64 * 1536))
            .channelInitializer { channel in
                guard let provider = channel as? any SocketOptionProvider else {
                    return channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
                }
                return provider.unsafeSetSocketOption(
                    level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_BINDTODEVICE),
                    value: deviceName(binding.name)
                ).flatMap {
                    // On the channel's event loop: the handler never crosses threads.
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            InboundDatagramHandler(box: box, receive: receive, commit: commit))
                    }
                }
            }
            .bind(host: host, port: port).get()
        let transport = UDPTransport(binding: binding, channel: channel)
        box.transport = transport
        return transport
    }

    /// The 16-byte, NUL-padded interface name SO_BINDTODEVICE takes.
    private static func deviceName(_ name: String) -> (
        CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar
    ) {
        var n = [CChar](repeating: 0, count: 16)
        for (i, byte) in name.utf8.prefix(15).enumerated() { n[i] = CChar(bitPattern: byte) }
        return (n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9], n[10], n[11], n[12], n[13], n[14], n[15])
    }

    static func envelope(_ datagram: OutboundDatagram, allocator: ByteBufferAllocator) -> AddressedEnvelope<ByteBuffer> {
        AddressedEnvelope(
            remoteAddress: socketAddress(datagram.destination), data: allocator.buffer(bytes: datagram.bytes))
    }

    /// Built from the numbers, without formatting and parsing text per packet.
    /// A reply meant for a client's hardware address is broadcast: a socket
    /// cannot reach an address the client does not hold yet.
    static func socketAddress(_ destination: ReplyDestination) -> SocketAddress {
        var ip = destination.address
        if case .hardware = destination.link { ip = .broadcast }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: destination.port)).bigEndian
        address.sin_addr = in_addr(s_addr: ip.value.bigEndian)
        return SocketAddress(address, host: "")
    }

    public func send(_ batch: [OutboundDatagram]) {
        guard !batch.isEmpty else { return }
        let channel = channel
        channel.eventLoop.execute {
            for datagram in batch {
                channel.write(Self.envelope(datagram, allocator: channel.allocator), promise: nil)
            }
            channel.flush()
        }
    }

    public func close() async {
        try? await channel.close()
    }
}

/// Lets the handler, created before the transport exists, reach it.
private final class TransportBox: @unchecked Sendable {
    // Written once before the first read is delivered (bind completes
    // before the channel reads), then only read on the event loop.
    var transport: UDPTransport?
}

private final class InboundDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    let box: TransportBox
    let receive: DHCPReceive
    let commit: DHCPCommit
    /// The lease changes of the current read burst (event loop only).
    private var pending: [PendingCommit] = []

    init(box: TransportBox, receive: @escaping DHCPReceive, commit: @escaping DHCPCommit) {
        self.box = box
        self.receive = receive
        self.commit = commit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard let transport = box.transport else { return }
        switch receive(Array(envelope.data.readableBytesView), transport) {
        case .none:
            return
        case let .reply(reply):
            write(reply, context: context)
        case let .commitThenReply(change):
            pending.append(change)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
        guard !pending.isEmpty, let transport = box.transport else { return }
        let changes = pending
        pending.removeAll(keepingCapacity: true)
        commit(changes, transport)
    }

    private func write(_ reply: OutboundDatagram, context: ChannelHandlerContext) {
        let out = UDPTransport.envelope(reply, allocator: context.channel.allocator)
        context.write(Self.wrapOutboundOut(out), promise: nil)
    }
}

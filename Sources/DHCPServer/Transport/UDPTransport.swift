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
/// Reads are vectored (recvmmsg); replies decided while reading are written
/// and flushed once per read burst, and committed replies once per commit
/// batch, so the kernel sees sendmmsg batches rather than one call a packet.
public final class UDPTransport: DHCPTransport {
    /// Handles one datagram on the event loop; returns a reply to send now.
    public typealias Receive = @Sendable ([UInt8], UDPTransport) -> OutboundDatagram?

    public let binding: InterfaceBinding
    private let channel: any Channel

    private init(binding: InterfaceBinding, channel: any Channel) {
        self.binding = binding
        self.channel = channel
    }

    public static func bind(
        binding: InterfaceBinding, port: Int, group: any EventLoopGroup, receive: @escaping Receive
    ) async throws -> UDPTransport {
        let box = TransportBox()
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(.so_broadcast), value: 1)
            .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
            .channelOption(.socketOption(.so_sndbuf), value: 4 << 20)
            .channelOption(.datagramVectorReadMessageCount, value: 64)
            .channelOption(.maxMessagesPerRead, value: 16)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 64 * 1536))
            .channelInitializer { channel in
                guard let provider = channel as? any SocketOptionProvider else {
                    return channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
                }
                return provider.unsafeSetSocketOption(
                    level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_BINDTODEVICE),
                    value: deviceName(binding.name)
                ).flatMap {
                    channel.pipeline.addHandler(InboundDatagramHandler(box: box, receive: receive))
                }
            }
            .bind(host: "0.0.0.0", port: port).get()
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

    static func envelope(_ datagram: OutboundDatagram, allocator: ByteBufferAllocator) -> AddressedEnvelope<ByteBuffer>? {
        guard let address = try? SocketAddress(
            ipAddress: datagram.destination.address.description, port: datagram.destination.port)
        else { return nil }
        return AddressedEnvelope(remoteAddress: address, data: allocator.buffer(bytes: datagram.bytes))
    }

    public func send(_ batch: [OutboundDatagram]) {
        guard !batch.isEmpty else { return }
        let channel = channel
        channel.eventLoop.execute {
            for datagram in batch {
                if let envelope = Self.envelope(datagram, allocator: channel.allocator) {
                    channel.write(envelope, promise: nil)
                }
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

private final class InboundDatagramHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    let box: TransportBox
    let receive: UDPTransport.Receive

    init(box: TransportBox, receive: @escaping UDPTransport.Receive) {
        self.box = box
        self.receive = receive
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard let transport = box.transport,
              let reply = receive(Array(envelope.data.readableBytesView), transport),
              let out = UDPTransport.envelope(reply, allocator: context.channel.allocator) else { return }
        context.write(Self.wrapOutboundOut(out), promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }
}

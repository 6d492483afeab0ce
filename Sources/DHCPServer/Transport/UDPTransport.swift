#if canImport(Glibc)
import Glibc
#endif
import DHCPv4
import NIOCore
import NIOPosix

/// One UDP socket on 0.0.0.0:port bound to a single interface with
/// SO_BINDTODEVICE, so replies (broadcasts included) leave by that
/// interface only and requests from other interfaces are never seen.
public final class UDPTransport: DHCPTransport {
    public let binding: InterfaceBinding
    private let channel: any Channel

    private init(binding: InterfaceBinding, channel: any Channel) {
        self.binding = binding
        self.channel = channel
    }

    /// Binds the socket; `receive` is called on the channel's event loop for
    /// each datagram with its bytes.
    public static func bind(
        binding: InterfaceBinding, port: Int, group: any EventLoopGroup,
        receive: @escaping @Sendable ([UInt8], UDPTransport) -> Void
    ) async throws -> UDPTransport {
        let box = TransportBox()
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(.so_broadcast), value: 1)
            .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
            .channelOption(.maxMessagesPerRead, value: 64)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 1500))
            .channelInitializer { channel in
                var name = [CChar](repeating: 0, count: 16)
                for (i, byte) in binding.name.utf8.prefix(15).enumerated() { name[i] = CChar(bitPattern: byte) }
                let device = (name[0], name[1], name[2], name[3], name[4], name[5], name[6], name[7],
                              name[8], name[9], name[10], name[11], name[12], name[13], name[14], name[15])
                guard let provider = channel as? any SocketOptionProvider else {
                    return channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
                }
                return provider.unsafeSetSocketOption(
                    level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_BINDTODEVICE), value: device
                ).flatMap {
                    channel.pipeline.addHandler(InboundDatagramHandler(box: box, receive: receive))
                }
            }
            .bind(host: "0.0.0.0", port: port).get()
        let transport = UDPTransport(binding: binding, channel: channel)
        box.transport = transport
        return transport
    }

    public func send(_ datagram: [UInt8], to destination: ReplyDestination) {
        guard let address = try? SocketAddress(ipAddress: destination.address.description, port: destination.port)
        else { return }
        let buffer = channel.allocator.buffer(bytes: datagram)
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: buffer), promise: nil)
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
    let box: TransportBox
    let receive: @Sendable ([UInt8], UDPTransport) -> Void

    init(box: TransportBox, receive: @escaping @Sendable ([UInt8], UDPTransport) -> Void) {
        self.box = box
        self.receive = receive
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard let transport = box.transport else { return }
        receive(Array(envelope.data.readableBytesView), transport)
    }
}

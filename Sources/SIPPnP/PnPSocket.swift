#if canImport(Glibc)
import Glibc
#endif
import DHCPv4
import NIOCore
import NIOPosix

/// One interface's SIP PnP socket: UDP 0.0.0.0:port with SO_REUSEADDR,
/// bound to the interface with SO_BINDTODEVICE (so it hears and answers on
/// that interface only), joined to the PnP group on it. Datagrams read are
/// handed to `receive` with this socket's index.
struct PnPSocket: Sendable {
    let index: Int
    let name: String
    /// The interface's IPv4 address (our Via and Contact on it).
    let address: String
    let channel: any Channel

    /// Finds `name`'s IPv4 address; throws naming the interface when it has none.
    static func device(named name: String) throws -> NIONetworkDevice {
        let devices = try System.enumerateDevices().filter { device in
            if device.name == name, case .v4 = device.address { return true }
            return false
        }
        guard let device = devices.first else { throw SIPPnPError.noIPv4Address(interface: name) }
        return device
    }

    static func open(
        index: Int, name: String, port: Int, group: IPv4Address, loopGroup: any EventLoopGroup,
        receive: @escaping @Sendable (PnPDatagram) -> Void
    ) async throws -> PnPSocket {
        let device = try device(named: name)
        let channel = try await DatagramBootstrap(group: loopGroup)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { channel in
                guard let provider = channel as? any SocketOptionProvider else {
                    return channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
                }
                return provider.unsafeSetSocketOption(
                    level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_BINDTODEVICE), value: deviceName(name)
                ).flatMap {
                    channel.pipeline.addHandler(PnPInboundHandler(index: index, receive: receive))
                }
            }
            .bind(host: "0.0.0.0", port: port).get()
        do {
            guard let multicast = channel as? any MulticastChannel else { throw ChannelError.operationUnsupported }
            try await multicast.joinGroup(try SocketAddress(ipAddress: group.description, port: 0), device: device).get()
        } catch {
            try? await channel.close()
            throw SIPPnPError.cannotJoin(interface: name, group: group.description, reason: "\(error)")
        }
        return PnPSocket(index: index, name: name, address: device.address?.ipAddress ?? "0.0.0.0", channel: channel)
    }

    func send(_ datagram: PnPDatagram) {
        guard let remote = try? SocketAddress(ipAddress: datagram.host, port: datagram.port) else { return }
        let channel = channel
        channel.eventLoop.execute {
            let envelope = AddressedEnvelope(remoteAddress: remote, data: channel.allocator.buffer(bytes: datagram.bytes))
            channel.writeAndFlush(envelope, promise: nil)
        }
    }

    func close() async {
        try? await channel.close()
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

private final class PnPInboundHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let index: Int
    let receive: @Sendable (PnPDatagram) -> Void

    init(index: Int, receive: @escaping @Sendable (PnPDatagram) -> Void) {
        self.index = index
        self.receive = receive
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard let host = envelope.remoteAddress.ipAddress, let port = envelope.remoteAddress.port else { return }
        receive(PnPDatagram(bytes: Array(envelope.data.readableBytesView), host: host, port: port, interface: index))
    }
}

/// Why the SIP PnP service cannot start.
public enum SIPPnPError: Error, CustomStringConvertible {
    case noIPv4Address(interface: String)
    case cannotJoin(interface: String, group: String, reason: String)

    public var description: String {
        switch self {
        case let .noIPv4Address(name): "sip_pnp.interfaces: \(name) has no IPv4 address on this machine"
        case let .cannotJoin(name, group, reason): "sip_pnp: cannot join \(group) on \(name): \(reason)"
        }
    }
}

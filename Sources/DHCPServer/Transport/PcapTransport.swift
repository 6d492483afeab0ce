#if canImport(Glibc)
import Glibc
#endif
import DHCPv4
import Logging
import NIOCore
import PacketCapture
import Synchronization

/// `transport: raw`: DHCP through libpcap on one interface, so that a reply
/// to a client with no address and the broadcast bit clear is unicast to its
/// chaddr at yiaddr (RFC 2131 §4.1), as Kea does by default.
///
/// Receiving: a `PcapHandle` (inbound only, BPF `udp dst port <port>` to
/// our address or a broadcast), read on a thread of its own; each frame's
/// UDP payload goes to the same `DHCPReceive` as the UDP transport's. A
/// reply that needs no commit is injected at once; a lease change goes to
/// the commit pipeline, which groups whatever is queued since its last
/// commit and sends the replies back through `send` once durable.
///
/// Sending: `ReplyFramer` builds whole frames (both checksums filled) for
/// broadcasts and for unicasts to a chaddr; replies to a relay or a ciaddr
/// go through a kernel UDP socket bound to our address and port on this
/// interface, which resolves the next hop by ARP. That socket also keeps
/// the kernel from answering unicast requests (renewals, relays) with ICMP
/// port unreachable; what it reads is discarded, the capture already has
/// it, so no request is answered twice.
public final class PcapTransport: DHCPTransport {
    public let binding: InterfaceBinding
    public let framer: ReplyFramer
    private let handle: PcapHandle
    private let unicast: UDPTransport
    private let receive: DHCPReceive
    private let commit: DHCPCommit
    private let dropFrame: @Sendable (String, PcapTransport) -> Void
    private let identification = Atomic<UInt16>(0)
    private let sendErrors = Atomic<Int>(0)
    /// Set by `close`; held while a frame is handled, so that once `close`
    /// returns no request reaches the server logic or the commit pipeline
    /// (the reader thread itself stops within a read timeout, on cancel).
    private let closed = Mutex(false)
    private let logger: Logger

    private init(
        binding: InterfaceBinding, framer: ReplyFramer, handle: PcapHandle, unicast: UDPTransport,
        receive: @escaping DHCPReceive, commit: @escaping DHCPCommit,
        dropFrame: @escaping @Sendable (String, PcapTransport) -> Void, logger: Logger
    ) {
        self.binding = binding
        self.framer = framer
        self.handle = handle
        self.unicast = unicast
        self.receive = receive
        self.commit = commit
        self.dropFrame = dropFrame
        self.logger = logger
    }

    /// The capture filter: requests to the server port, addressed to us or
    /// to a broadcast address (what a UDP socket on the interface would get).
    public static func filter(port: Int, address: IPv4Address, subnetBroadcast: IPv4Address) -> String {
        "udp dst port \(port) and (dst host 255.255.255.255 or dst host \(subnetBroadcast) or dst host \(address))"
    }

    /// Opens the capture and the unicast socket; reading starts with `run`.
    /// `dropFrame` is told about captured frames that are not UDP/IPv4
    /// datagrams one can read (truncated, fragments).
    public static func open(
        binding: InterfaceBinding, subnetBroadcast: IPv4Address, port: Int, group: any EventLoopGroup,
        logger: Logger, receive: @escaping DHCPReceive, commit: @escaping DHCPCommit,
        dropFrame: @escaping @Sendable (String, PcapTransport) -> Void
    ) async throws -> PcapTransport {
        guard let mac = InterfaceAddresses.hardwareAddress(of: binding.name) else {
            throw PcapError("\(binding.name): no Ethernet address (/sys/class/net/\(binding.name)/address)")
        }
        var options = PcapHandle.Options()
        options.inboundOnly = true
        let handle = try PcapHandle(
            interface: binding.name,
            filter: filter(port: port, address: binding.address, subnetBroadcast: subnetBroadcast), options: options)
        guard handle.linkType == PcapHandle.linkTypeEthernet else {
            throw PcapError("\(binding.name): link type \(handle.linkType) is not Ethernet")
        }
        let unicast = try await UDPTransport.bind(
            binding: binding, host: "\(binding.address)", port: port, receiveBuffer: 64 << 10, group: group,
            receive: { _, _ in .none }, commit: { _, _ in })
        return PcapTransport(
            binding: binding, framer: ReplyFramer(sourceMAC: mac, sourceIP: binding.address, serverPort: port),
            handle: handle, unicast: unicast, receive: receive, commit: commit, dropFrame: dropFrame, logger: logger)
    }

    /// Reads and answers until the calling task is cancelled; throws if
    /// the capture fails (the interface went away).
    public func run() async throws {
        try await PcapReader.run(handle, name: "dhcp") { [self] captured in handleFrame(captured) }
    }

    private func handleFrame(_ captured: CapturedFrame) {
        closed.withLock { closed in
            guard !closed else { return }
            let frame: UDPFrame
            do {
                frame = try UDPFrame.decode(captured)
            } catch {
                dropFrame("frame: \(error)", self)
                return
            }
            switch receive(frame.payload, self) {
            case .none: return
            case let .reply(reply): send([reply])
            case let .commitThenReply(change): commit([change], self)
            }
        }
    }

    public func send(_ batch: [OutboundDatagram]) {
        var viaKernel: [OutboundDatagram] = []
        for datagram in batch {
            guard let frame = framer.frame(for: datagram) else {
                viaKernel.append(datagram)
                continue
            }
            let id = identification.wrappingAdd(1, ordering: .relaxed).newValue
            do {
                try handle.inject(frame.encode(identification: id))
            } catch {
                // Logged once per 1000 failures: the interface went down.
                if sendErrors.wrappingAdd(1, ordering: .relaxed).oldValue % 1000 == 0 {
                    logger.error("cannot send frame", metadata: ["interface": "\(binding.name)", "error": "\(error)"])
                }
            }
        }
        if !viaKernel.isEmpty { unicast.send(viaKernel) }
    }

    public var captureDrops: UInt64? { UInt64(handle.kernelDrops) }

    public func close() async {
        closed.withLock { $0 = true }
        await unicast.close()
    }
}

import CPcap
import DHCPv4

/// A libpcap error, with the library's own message.
public struct PcapError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// One captured frame and when the kernel saw it.
public struct CapturedFrame: Sendable {
    /// Seconds since the epoch, microsecond resolution.
    public var timestamp: Double
    public var bytes: [UInt8]
    public var linkType: Int32
}

/// A live libpcap handle on one interface: receive with a BPF filter,
/// send whole frames with `pcap_inject`.
///
/// `next()` is meant for one reading thread (`PcapReader`). On Linux
/// (TPACKET_V3) it may block for as long as no frame arrives, whatever the
/// read timeout (the kernel does not retire an empty block): `breakLoop()`,
/// from any thread, wakes it. `inject` may be called from any thread: on
/// Linux it is a `send` on the packet socket, independent of the receive
/// ring.
public final class PcapHandle: @unchecked Sendable {
    public struct Options: Sendable {
        public var snapLength: Int32 = 2048
        public var promiscuous = false
        /// Deliver each packet as it arrives, not per buffer (DHCP is latency-bound).
        public var immediate = true
        /// How long `next()` waits before returning nil, where the platform
        /// honours it (not Linux TPACKET_V3 with an empty ring: see `breakLoop`).
        public var readTimeoutMilliseconds: Int32 = 100
        public var bufferSize: Int32 = 4 << 20
        /// Only frames received, not the ones this host sends (the raw
        /// transport must not read its own replies back).
        public var inboundOnly = false
        public init() {}
    }

    public let interface: String
    public let linkType: Int32
    private let pcap: OpaquePointer

    public static let linkTypeEthernet: Int32 = 1  // DLT_EN10MB
    public static let linkTypeLinuxCooked: Int32 = 113  // DLT_LINUX_SLL

    public init(interface: String, filter: String, options: Options = Options()) throws(PcapError) {
        var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let p = pcap_create(interface, &errbuf) else { throw PcapError("\(interface): \(errbuf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })") }
        pcap_set_snaplen(p, options.snapLength)
        pcap_set_promisc(p, options.promiscuous ? 1 : 0)
        pcap_set_immediate_mode(p, options.immediate ? 1 : 0)
        pcap_set_timeout(p, options.readTimeoutMilliseconds)
        pcap_set_buffer_size(p, options.bufferSize)
        let status = pcap_activate(p)
        if status < 0 {
            let message = Self.activationMessage(status, p)
            pcap_close(p)
            throw PcapError("\(interface): \(message)")
        }
        if options.inboundOnly, pcap_setdirection(p, PCAP_D_IN) != 0 {
            let message = String(cString: pcap_geterr(p))
            pcap_close(p)
            throw PcapError("\(interface): cannot capture inbound only: \(message)")
        }
        var program = bpf_program()
        guard pcap_compile(p, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            let message = String(cString: pcap_geterr(p))
            pcap_close(p)
            throw PcapError("filter \"\(filter)\": \(message)")
        }
        defer { pcap_freecode(&program) }
        guard pcap_setfilter(p, &program) == 0 else {
            let message = String(cString: pcap_geterr(p))
            pcap_close(p)
            throw PcapError("\(interface): cannot set filter: \(message)")
        }
        self.interface = interface
        linkType = pcap_datalink(p)
        pcap = p
    }

    private static func activationMessage(_ status: Int32, _ p: OpaquePointer) -> String {
        switch status {
        case PCAP_ERROR_NO_SUCH_DEVICE: "no such interface"
        case PCAP_ERROR_PERM_DENIED: "permission denied (needs root or CAP_NET_RAW)"
        case PCAP_ERROR_IFACE_NOT_UP: "interface is down"
        default: String(cString: pcap_geterr(p))
        }
    }

    /// The next frame, or nil when the read timeout passed with none or
    /// `breakLoop()` was called.
    public func next() throws(PcapError) -> CapturedFrame? {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        switch pcap_next_ex(pcap, &header, &data) {
        case 1:
            guard let header, let data else { return nil }
            let h = header.pointee
            return CapturedFrame(
                timestamp: Double(h.ts.tv_sec) + Double(h.ts.tv_usec) / 1e6,
                bytes: Array(UnsafeBufferPointer(start: data, count: Int(h.caplen))), linkType: linkType)
        case 0, PCAP_ERROR_BREAK:
            return nil
        default:
            throw PcapError("\(interface): \(String(cString: pcap_geterr(pcap)))")
        }
    }

    /// Makes a `next()` blocked in another thread (or the next call)
    /// return nil at once (pcap_breakloop; libpcap >= 1.10 wakes the poll).
    public func breakLoop() {
        pcap_breakloop(pcap)
    }

    /// Sends one complete frame (link-layer header included).
    public func inject(_ frame: [UInt8]) throws(PcapError) {
        let sent = frame.withUnsafeBytes { pcap_inject(pcap, $0.baseAddress, $0.count) }
        guard sent == frame.count else {
            throw PcapError("\(interface): inject: \(String(cString: pcap_geterr(pcap)))")
        }
    }

    /// Packets the kernel dropped for lack of buffer space, since opening.
    public var kernelDrops: UInt32 {
        var stats = pcap_stat()
        guard pcap_stats(pcap, &stats) == 0 else { return 0 }
        return stats.ps_drop
    }

    deinit { pcap_close(pcap) }
}

extension UDPFrame {
    /// Decodes a captured frame of either link type autoprov opens
    /// (Ethernet; Linux cooked, as the `any` pseudo-interface gives).
    public static func decode(_ captured: CapturedFrame) throws(DecodeError) -> UDPFrame {
        switch captured.linkType {
        case PcapHandle.linkTypeLinuxCooked:
            // SLL: packet type (2), ARPHRD (2), address length (2), address (8), protocol (2).
            let b = captured.bytes
            guard b.count >= 16 else { throw .truncated }
            let proto = UInt16(b[14]) << 8 | UInt16(b[15])
            guard proto == 0x0800 else { throw .notIPv4(etherType: proto) }
            let addressLength = min(Int(b[5]), 8)
            let source = addressLength == 6 ? MACAddress(bytes: b[6..<12])! : MACAddress(value: 0)
            return try decodeIPv4(b, at: 16, sourceMAC: source, destinationMAC: MACAddress(value: 0), vlan: nil)
        default:
            return try decode(captured.bytes)
        }
    }
}

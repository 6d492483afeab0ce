import DHCPv4

/// One UDP datagram in an Ethernet II / IPv4 frame: what the raw DHCP
/// transport sends (`encode`) and what capture reads (`decode`). Pure, no I/O.
///
/// Decoding is strict about what it needs (lengths, protocol, first
/// fragment only) and ignores what it does not (IPv4 options are skipped,
/// checksums are not verified: the kernel hands captured frames that may
/// still carry offloaded, unfilled checksums). Encoding fills both the IPv4
/// header checksum and the UDP checksum (RFC 768, with the pseudo-header).
public struct UDPFrame: Sendable, Equatable {
    public var sourceMAC: MACAddress
    public var destinationMAC: MACAddress
    /// 802.1Q VLAN id, when the frame was tagged (decode only; encode sends untagged).
    public var vlan: UInt16?
    public var sourceIP: IPv4Address
    public var destinationIP: IPv4Address
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var ttl: UInt8
    public var payload: [UInt8]

    public init(
        sourceMAC: MACAddress, destinationMAC: MACAddress, sourceIP: IPv4Address, destinationIP: IPv4Address,
        sourcePort: UInt16, destinationPort: UInt16, ttl: UInt8 = 64, vlan: UInt16? = nil, payload: [UInt8]
    ) {
        self.sourceMAC = sourceMAC
        self.destinationMAC = destinationMAC
        self.sourceIP = sourceIP
        self.destinationIP = destinationIP
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.ttl = ttl
        self.vlan = vlan
        self.payload = payload
    }

    public static let ethernetHeaderLength = 14
    public static let ipv4HeaderLength = 20
    public static let udpHeaderLength = 8

    /// Why a captured frame is not a UDP/IPv4 datagram we can read.
    public enum DecodeError: Error, Equatable, Sendable {
        case truncated
        case notIPv4(etherType: UInt16)
        case badIPv4Header
        case notUDP(protocol: UInt8)
        case fragment
        case badUDPLength
    }

    /// Reads an Ethernet II frame (one optional 802.1Q tag).
    public static func decode(_ frame: some Collection<UInt8>) throws(DecodeError) -> UDPFrame {
        let b = Array(frame)
        guard b.count >= ethernetHeaderLength else { throw .truncated }
        let destination = MACAddress(bytes: b[0..<6])!
        let source = MACAddress(bytes: b[6..<12])!
        var offset = 12
        var etherType = be16(b, offset)
        var vlan: UInt16?
        if etherType == 0x8100 {
            guard b.count >= 18 else { throw .truncated }
            vlan = be16(b, 14) & 0x0FFF
            etherType = be16(b, 16)
            offset = 16
        }
        offset += 2
        guard etherType == 0x0800 else { throw .notIPv4(etherType: etherType) }
        return try decodeIPv4(b, at: offset, sourceMAC: source, destinationMAC: destination, vlan: vlan)
    }

    /// Reads from the IPv4 header on (Linux cooked captures, tests).
    static func decodeIPv4(
        _ b: [UInt8], at ip: Int, sourceMAC: MACAddress, destinationMAC: MACAddress, vlan: UInt16?
    ) throws(DecodeError) -> UDPFrame {
        guard b.count >= ip + ipv4HeaderLength else { throw .truncated }
        guard b[ip] >> 4 == 4 else { throw .badIPv4Header }
        let headerLength = Int(b[ip] & 0x0F) * 4
        let totalLength = Int(be16(b, ip + 2))
        guard headerLength >= ipv4HeaderLength, totalLength >= headerLength + udpHeaderLength else { throw .badIPv4Header }
        guard b.count >= ip + totalLength else { throw .truncated }
        let flagsFragment = be16(b, ip + 6)
        guard flagsFragment & 0x3FFF == 0 else { throw .fragment }  // MF set or offset != 0
        guard b[ip + 9] == 17 else { throw .notUDP(protocol: b[ip + 9]) }
        let udp = ip + headerLength
        let udpLength = Int(be16(b, udp + 4))
        guard udpLength >= udpHeaderLength, udp + udpLength <= ip + totalLength else { throw .badUDPLength }
        return UDPFrame(
            sourceMAC: sourceMAC, destinationMAC: destinationMAC,
            sourceIP: IPv4Address(be32(b, ip + 12)), destinationIP: IPv4Address(be32(b, ip + 16)),
            sourcePort: be16(b, udp), destinationPort: be16(b, udp + 2), ttl: b[ip + 8], vlan: vlan,
            payload: Array(b[(udp + udpHeaderLength)..<(udp + udpLength)]))
    }

    /// The whole frame: Ethernet II, a 20-byte IPv4 header (DF clear, the
    /// given identification), UDP; both checksums filled.
    public func encode(identification: UInt16 = 0) -> [UInt8] {
        let udpLength = Self.udpHeaderLength + payload.count
        let totalLength = Self.ipv4HeaderLength + udpLength
        var b = [UInt8]()
        b.reserveCapacity(Self.ethernetHeaderLength + totalLength)
        b += destinationMAC.bytes
        b += sourceMAC.bytes
        b += [0x08, 0x00]
        let ip = b.count
        b += [0x45, 0x00]
        Self.put16(&b, UInt16(totalLength))
        Self.put16(&b, identification)
        b += [0x00, 0x00, ttl, 17, 0x00, 0x00]
        Self.put32(&b, sourceIP.value)
        Self.put32(&b, destinationIP.value)
        let headerSum = Self.checksum(b[ip..<(ip + Self.ipv4HeaderLength)])
        b[ip + 10] = UInt8(headerSum >> 8)
        b[ip + 11] = UInt8(headerSum & 0xFF)
        let udp = b.count
        Self.put16(&b, sourcePort)
        Self.put16(&b, destinationPort)
        Self.put16(&b, UInt16(udpLength))
        b += [0x00, 0x00]
        b += payload
        var udpSum = Self.udpChecksum(b[udp...], source: sourceIP, destination: destinationIP)
        if udpSum == 0 { udpSum = 0xFFFF }  // 0 means "no checksum" (RFC 768)
        b[udp + 6] = UInt8(udpSum >> 8)
        b[udp + 7] = UInt8(udpSum & 0xFF)
        return b
    }

    /// The Internet checksum (RFC 1071) of `bytes`, with an initial sum.
    static func checksum(_ bytes: some Collection<UInt8>, initial: UInt32 = 0) -> UInt16 {
        var sum = initial
        var iterator = bytes.makeIterator()
        while let high = iterator.next() {
            let low = iterator.next() ?? 0
            sum &+= UInt32(high) << 8 | UInt32(low)
        }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) &+ (sum >> 16) }
        return ~UInt16(truncatingIfNeeded: sum)
    }

    /// The UDP checksum over the pseudo-header, the header and the payload.
    static func udpChecksum(_ segment: some Collection<UInt8>, source: IPv4Address, destination: IPv4Address) -> UInt16 {
        var pseudo: UInt32 = 0
        pseudo &+= source.value >> 16
        pseudo &+= source.value & 0xFFFF
        pseudo &+= destination.value >> 16
        pseudo &+= destination.value & 0xFFFF
        pseudo &+= 17
        pseudo &+= UInt32(segment.count)
        return checksum(segment, initial: pseudo)
    }

    private static func be16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) << 8 | UInt16(b[i + 1]) }
    private static func be32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }
    private static func put16(_ b: inout [UInt8], _ v: UInt16) { b += [UInt8(v >> 8), UInt8(v & 0xFF)] }
    private static func put32(_ b: inout [UInt8], _ v: UInt32) {
        b += [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
    }
}

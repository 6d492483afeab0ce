/// One DHCPv4 message (RFC 2131 §2, figure 1): the fixed BOOTP header and
/// the options.
public struct DHCPMessage: Hashable, Sendable {
    /// RFC 2131 §3: the four bytes that open the options area.
    public static let magicCookie: UInt32 = 0x6382_5363
    /// Size of the fixed header before the magic cookie.
    public static let headerSize = 236
    /// BOOTP minimum datagram size (RFC 1542 §2.1); replies are padded to it.
    public static let minimumSize = 300
    /// The `flags` bit asking the server to broadcast its reply (RFC 2131 §2).
    public static let broadcastFlag: UInt16 = 0x8000

    public var op: OpCode
    /// Hardware type; 1 = Ethernet.
    public var htype: UInt8 = 1
    /// Hardware address length; 6 for Ethernet, at most 16.
    public var hlen: UInt8 = 6
    public var hops: UInt8 = 0
    public var xid: UInt32
    public var secs: UInt16 = 0
    public var flags: UInt16 = 0
    public var ciaddr: IPv4Address = .any
    public var yiaddr: IPv4Address = .any
    public var siaddr: IPv4Address = .any
    public var giaddr: IPv4Address = .any
    /// The 16-byte client hardware address field; the first `hlen` bytes count.
    public var chaddr: [UInt8] = Array(repeating: 0, count: 16)
    /// 64-byte server host name field (never used for option 66 here).
    public var sname: [UInt8] = Array(repeating: 0, count: 64)
    /// 128-byte boot file name field.
    public var file: [UInt8] = Array(repeating: 0, count: 128)
    public var options = DHCPOptions()

    public init(op: OpCode, xid: UInt32) {
        self.op = op
        self.xid = xid
    }

    // MARK: Conveniences over the header and options

    /// The client's Ethernet address, when `htype`/`hlen` describe one.
    public var clientMAC: MACAddress? {
        get { htype == 1 && hlen == 6 ? MACAddress(bytes: chaddr.prefix(6)) : nil }
        set {
            guard let newValue else { return }
            htype = 1
            hlen = 6
            chaddr = newValue.bytes + Array(repeating: 0, count: 10)
        }
    }

    public var broadcastRequested: Bool { flags & Self.broadcastFlag != 0 }

    public var messageType: MessageType? {
        get { options[.messageType].flatMap { $0.count == 1 ? MessageType(rawValue: $0[0]) : nil } }
        set { options[.messageType] = newValue.map { [$0.rawValue] } }
    }

    public var requestedIPAddress: IPv4Address? { options.ipv4(.requestedIPAddress) }
    public var serverIdentifier: IPv4Address? { options.ipv4(.serverIdentifier) }
    public var clientIdentifier: [UInt8]? { options[.clientIdentifier] }
    public var vendorClassIdentifier: String? { options.string(.vendorClassIdentifier) }
    public var hostName: String? { options.string(.hostName) }
    public var maxMessageSize: UInt16? { options.uint16(.maxMessageSize) }
    public var relayAgentInformation: [UInt8]? { options[.relayAgentInformation] }

    /// The codes listed in option 55, in the client's order.
    public var parameterRequestList: [OptionCode] {
        (options[.parameterRequestList] ?? []).map(OptionCode.init(rawValue:))
    }
}

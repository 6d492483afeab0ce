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
    /// chaddr (16 bytes), sname (64) and file (128), back to back: one
    /// buffer rather than three.
    private(set) var fixedFields = [UInt8](repeating: 0, count: 208)
    public var options = DHCPOptions()

    static let chaddrRange = 0..<16
    static let snameRange = 16..<80
    static let fileRange = 80..<208

    /// The 16-byte client hardware address field; the first `hlen` bytes
    /// count. Longer values are cut, shorter ones padded with zeros.
    public var chaddr: [UInt8] {
        get { Array(fixedFields[Self.chaddrRange]) }
        set { setFixed(newValue, in: Self.chaddrRange) }
    }

    /// 64-byte server host name field (never used for option 66 here).
    public var sname: [UInt8] {
        get { Array(fixedFields[Self.snameRange]) }
        set { setFixed(newValue, in: Self.snameRange) }
    }

    /// 128-byte boot file name field.
    public var file: [UInt8] {
        get { Array(fixedFields[Self.fileRange]) }
        set { setFixed(newValue, in: Self.fileRange) }
    }

    private mutating func setFixed(_ value: [UInt8], in range: Range<Int>) {
        for (offset, i) in range.enumerated() { fixedFields[i] = offset < value.count ? value[offset] : 0 }
    }

    /// Copies the 16-byte chaddr field from another message.
    mutating func copyChaddr(from other: DHCPMessage) {
        for i in Self.chaddrRange { fixedFields[i] = other.fixedFields[i] }
    }

    mutating func setFixedFields(_ bytes: [UInt8]) { fixedFields = bytes }

    public init(op: OpCode, xid: UInt32) {
        self.op = op
        self.xid = xid
    }

    // MARK: Conveniences over the header and options

    /// The client's Ethernet address, when `htype`/`hlen` describe one.
    public var clientMAC: MACAddress? {
        get {
            guard htype == 1 && hlen == 6 else { return nil }
            var value: UInt64 = 0
            for i in 0..<6 { value = value << 8 | UInt64(fixedFields[i]) }
            return MACAddress(value: value)
        }
        set {
            guard let newValue else { return }
            htype = 1
            hlen = 6
            for i in 0..<16 { fixedFields[i] = i < 6 ? UInt8(truncatingIfNeeded: newValue.value >> (40 - 8 * UInt64(i))) : 0 }
        }
    }

    public var broadcastRequested: Bool { flags & Self.broadcastFlag != 0 }

    public var messageType: MessageType? {
        get { options.value(.messageType).flatMap { $0.count == 1 ? MessageType(rawValue: $0.first!) : nil } }
        set {
            if let newValue { options.set(.messageType, byte: newValue.rawValue) } else {
                options.remove(.messageType)
            }
        }
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

/// A DHCPv4 option code. Open: any value 0...255 is representable and
/// unknown codes round-trip untouched; the well-known ones have names.
public struct OptionCode: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    /// RFC 2132 §3.1: a single zero byte used to align following fields.
    public static let pad = OptionCode(0)
    /// RFC 2132 §3.3: subnet mask (4 bytes).
    public static let subnetMask = OptionCode(1)
    /// RFC 2132 §3.5: routers, in order of preference (4n bytes).
    public static let router = OptionCode(3)
    /// RFC 2132 §3.8: domain name servers (4n bytes).
    public static let domainNameServer = OptionCode(6)
    /// RFC 2132 §3.14: the client's host name.
    public static let hostName = OptionCode(12)
    /// RFC 2132 §3.17: DNS domain name.
    public static let domainName = OptionCode(15)
    /// RFC 2132 §5.3: broadcast address (4 bytes).
    public static let broadcastAddress = OptionCode(28)
    /// RFC 2132 §8.3: NTP servers (4n bytes).
    public static let ntpServers = OptionCode(42)
    /// RFC 2132 §8.4: vendor-specific information (opaque; Fanvil reads a URL here).
    public static let vendorSpecific = OptionCode(43)
    /// RFC 2132 §9.1: the address a client asks for.
    public static let requestedIPAddress = OptionCode(50)
    /// RFC 2132 §9.2: lease time in seconds (4 bytes).
    public static let leaseTime = OptionCode(51)
    /// RFC 2132 §9.3: option overload: 1 = `file`, 2 = `sname`, 3 = both hold options.
    public static let overload = OptionCode(52)
    /// RFC 2132 §9.6: DHCP message type (1 byte).
    public static let messageType = OptionCode(53)
    /// RFC 2132 §9.7: server identifier (4 bytes).
    public static let serverIdentifier = OptionCode(54)
    /// RFC 2132 §9.8: parameter request list.
    public static let parameterRequestList = OptionCode(55)
    /// RFC 2132 §9.9: a text message, used with NAK.
    public static let message = OptionCode(56)
    /// RFC 2132 §9.10: maximum DHCP message size (2 bytes, at least 576).
    public static let maxMessageSize = OptionCode(57)
    /// RFC 2132 §9.11: renewal (T1) time in seconds.
    public static let renewalTime = OptionCode(58)
    /// RFC 2132 §9.12: rebinding (T2) time in seconds.
    public static let rebindingTime = OptionCode(59)
    /// RFC 2132 §9.13: vendor class identifier (Fanvil: `Fanvil X6U`, off by default).
    public static let vendorClassIdentifier = OptionCode(60)
    /// RFC 2132 §9.14: client identifier (type byte, then identifier).
    public static let clientIdentifier = OptionCode(61)
    /// RFC 2132 §9.4: TFTP server name; Fanvil phones read the provisioning URL here.
    public static let tftpServerName = OptionCode(66)
    /// RFC 2132 §9.5: boot file name.
    public static let bootfileName = OptionCode(67)
    /// RFC 3046: relay agent information; echoed unchanged in replies, always encoded last.
    public static let relayAgentInformation = OptionCode(82)
    /// RFC 2132 §3.2: end of the options.
    public static let end = OptionCode(255)

    public var description: String { String(rawValue) }

    public static func < (lhs: OptionCode, rhs: OptionCode) -> Bool { lhs.rawValue < rhs.rawValue }
}

import DHCPv4

/// A client class: who it matches, and the options its members get.
/// Classes are tried in order; the first match wins.
public struct ClientClass: Sendable, Equatable {
    public var name: String
    /// 24-bit OUIs (first three octets of the MAC).
    public var ouis: Set<UInt32>
    /// Case-insensitive substrings of option 60 (lowercased, for matching).
    public var vendorClassSubstrings: [String]
    /// The same substrings as the config wrote them (for `autoprov
    /// export-dhcp`: other servers compare option 60 case-sensitively).
    public var vendorClassAsWritten: [String]
    public var macs: Set<MACAddress>
    /// Options added to OFFER/ACK, code → raw bytes (text is sent as is,
    /// `$mac` included, for the phone to expand).
    public var options: [OptionCode: [UInt8]]
    /// Send `options` even when the client did not list them in option 55.
    public var alwaysSend: Bool

    public init(
        name: String, ouis: Set<UInt32> = [], vendorClassSubstrings: [String] = [], macs: Set<MACAddress> = [],
        options: [OptionCode: [UInt8]] = [:], alwaysSend: Bool = true
    ) {
        self.name = name
        self.ouis = ouis
        self.vendorClassSubstrings = vendorClassSubstrings.map { $0.lowercased() }
        vendorClassAsWritten = vendorClassSubstrings
        self.macs = macs
        self.options = options
        self.alwaysSend = alwaysSend
    }

    public func matches(mac: MACAddress, vendorClass: String?) -> Bool {
        if macs.contains(mac) || ouis.contains(mac.oui) { return true }
        guard let vendorClass, !vendorClassSubstrings.isEmpty else { return false }
        let lowered = vendorClass.lowercased()
        return vendorClassSubstrings.contains { lowered.contains($0) }
    }
}

/// A fixed address for one MAC, with per-device option overrides.
public struct Reservation: Sendable, Equatable {
    public var mac: MACAddress
    public var ip: IPv4Address
    public var hostname: String?
    public var options: [OptionCode: [UInt8]]

    public init(mac: MACAddress, ip: IPv4Address, hostname: String? = nil, options: [OptionCode: [UInt8]] = [:]) {
        self.mac = mac
        self.ip = ip
        self.hostname = hostname
        self.options = options
    }
}

/// What to do with a client no class matches.
public enum UnknownClientPolicy: String, Sendable, Codable {
    /// Lease an address, without provisioning options.
    case serve
    /// Stay silent (logged and counted).
    case ignore
}

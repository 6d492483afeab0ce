import DHCPv4

/// How a fleet of simulated phones is made and where it talks.
public struct FleetOptions: Sendable {
    public var count = 20
    /// Phone i gets `macBase + i`.
    public var macBase = MACAddress("0c383e100000")!
    public var model = "X4"
    public var firmware = "2.10.2.6887"
    public var server = "127.0.0.1"
    public var dhcpPort = 67
    public var relay = IPv4Address(127, 64, 0, 1)
    /// SO_BINDTODEVICE for the relay socket; nil = none.
    public var device: String? = "lo"
    public var apiPort = 80
    public var sipPort = 5060
    /// Power-on times are spread evenly over this many seconds.
    public var bootSpread = 0.0
    /// Faults by MAC.
    public var faults: [MACAddress: PhoneFaults] = [:]
    /// (N, faults): every Nth phone (the Nth, 2Nth...) gets these faults.
    public var faultEvery: [(every: Int, faults: PhoneFaults)] = []
    /// JSON-lines event file.
    public var eventsPath: String?
    /// SIP PnP discovery of the provisioning URL.
    public var pnp: PnPMode = .off
    public var pnpGroup = "224.0.1.75"
    public var pnpPort = 5060
    /// Event loop threads shared by every phone.
    public var threads = 2

    public init() {}

    /// Phone `index`'s identity.
    public func identity(_ index: Int) -> PhoneIdentity {
        PhoneIdentity(index: index, mac: MACAddress(value: macBase.value &+ UInt64(index)), model: model, firmware: firmware)
    }

    /// Phone `index`'s faults: its MAC's, merged with every matching `faultEvery`.
    public func faults(_ index: Int) -> PhoneFaults {
        var result = faults[identity(index).mac] ?? PhoneFaults()
        for rule in faultEvery where rule.every > 0 && (index + 1) % rule.every == 0 {
            result.merge(rule.faults)
        }
        return result
    }

    /// When phone `index` powers on.
    public func powerOnDelay(_ index: Int) -> Duration {
        guard bootSpread > 0, count > 0 else { return .zero }
        return .milliseconds(Int(bootSpread * 1000 * Double(index) / Double(count)))
    }
}

extension PhoneFaults {
    /// Adds every fault set in `other`.
    public mutating func merge(_ other: PhoneFaults) {
        slowMilliseconds = other.slowMilliseconds ?? slowMilliseconds
        unreachable = unreachable || other.unreachable
        wrongMAC = wrongMAC || other.wrongMAC
        setFails = setFails || other.setFails
        malformed = malformed || other.malformed
        rebootOnPush = rebootOnPush || other.rebootOnPush
        wrongSIPPassword = wrongSIPPassword || other.wrongSIPPassword
    }
}

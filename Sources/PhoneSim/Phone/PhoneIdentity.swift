import DHCPv4

/// What a simulated phone is: its place in the fleet and what it says
/// about itself (User-Agent, `info.dev.*`, `info.sys.FwVersion`).
public struct PhoneIdentity: Sendable, Hashable {
    /// 0-based position in the fleet (chooses the reply shape).
    public var index: Int
    public var mac: MACAddress
    public var model: String
    public var firmware: String

    public init(index: Int, mac: MACAddress, model: String = "X4", firmware: String = "2.10.2.6887") {
        self.index = index
        self.mac = mac
        self.model = model
        self.firmware = firmware
    }

    /// `Fanvil X4 2.10.2.6887 0c383e000001` (FANVIL.md §2).
    public var userAgent: String { "Fanvil \(model) \(firmware) \(mac.compact)" }

    /// A serial number derived from the MAC.
    public var serial: String { "FV" + mac.compact.uppercased() }
}

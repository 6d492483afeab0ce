import DHCPv4

/// What a phone says about itself in its User-Agent, e.g.
/// `Fanvil X6U Pro 0.0.10 0c383e2cd782`: parsed from the right (the last
/// token is the MAC, the one before the firmware, the rest the model).
public struct UserAgent: Sendable, Equatable {
    public var model: String
    public var firmware: String
    public var mac: MACAddress

    public init(model: String, firmware: String, mac: MACAddress) {
        self.model = model
        self.firmware = firmware
        self.mac = mac
    }

    /// nil when `text` is not this vendor's User-Agent shape.
    public init?(_ text: String, profile: VendorProfile) {
        guard text.utf8.count <= 256,
              let match = profile.userAgent.wholeMatch(in: text),
              let model = match.output["model"]?.substring, let firmware = match.output["firmware"]?.substring,
              let macText = match.output["mac"]?.substring, let mac = MACAddress(String(macText))
        else { return nil }
        self.init(model: String(model), firmware: String(firmware), mac: mac)
    }
}

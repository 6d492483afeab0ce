import NIOCore

/// What every phone of a fleet shares: the event loop group, the relay
/// agent, the ports, where events go, and the boot timings.
public struct PhoneEnvironment: Sendable {
    public var group: any EventLoopGroup
    public var relay: DHCPRelayAgent
    public var apiPort: Int
    public var sipPort: Int
    public var events: PhoneEventSink
    /// How long one DHCP attempt may take before the boot starts over.
    public var dhcpDeadline: TimeAmount = .seconds(60)
    /// How long a rebooting phone stays down.
    public var rebootDowntime: Duration = .seconds(3)
    /// The SIP REGISTER expiry and per-exchange timeout.
    public var registerExpires = 3600
    public var registerTimeout: Duration = .seconds(8)
    /// SIP PnP (`SIPPnPClient`): when the phone asks, and where.
    public var pnp: PnPMode = .off
    public var pnpGroup = "224.0.1.75"
    public var pnpPort = 5060

    public init(group: any EventLoopGroup, relay: DHCPRelayAgent, apiPort: Int, sipPort: Int, events: @escaping PhoneEventSink) {
        self.group = group
        self.relay = relay
        self.apiPort = apiPort
        self.sipPort = sipPort
        self.events = events
    }
}

/// When a phone discovers its provisioning URL by SIP PnP.
public enum PnPMode: String, Sendable, CaseIterable {
    /// Never: option 66/43 or nothing.
    case off
    /// When the lease carries no provisioning URL (the phone's boot order:
    /// DHCP option, then SIP PnP).
    case fallback
    /// Always, ignoring the DHCP options.
    case always
}

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

    public init(group: any EventLoopGroup, relay: DHCPRelayAgent, apiPort: Int, sipPort: Int, events: @escaping PhoneEventSink) {
        self.group = group
        self.relay = relay
        self.apiPort = apiPort
        self.sipPort = sipPort
        self.events = events
    }
}

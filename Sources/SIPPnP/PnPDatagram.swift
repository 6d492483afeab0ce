/// A datagram in or out of the responder, with its peer and the index of the
/// interface (socket) it came in on or must leave by.
public struct PnPDatagram: Sendable, Equatable {
    public var bytes: [UInt8]
    public var host: String
    public var port: Int
    public var interface: Int

    public init(bytes: [UInt8], host: String, port: Int, interface: Int) {
        self.bytes = bytes
        self.host = host
        self.port = port
        self.interface = interface
    }
}

/// What happened to one received datagram: the `result` label of
/// `autoprov_sip_pnp_packets_total`.
public enum PnPOutcome: String, Sendable, CaseIterable {
    /// A new subscription: 200 OK sent, NOTIFY started.
    case answered
    /// A retransmitted SUBSCRIBE: the same 200 again, no new NOTIFY.
    case retransmission
    /// The subscriber's answer to our NOTIFY.
    case notifyAnswered = "notify-answered"
    /// Not SIP, or SIP we cannot read.
    case malformed
    case notSubscribe = "not-subscribe"
    case otherEvent = "other-event"
    case otherProfileType = "other-profile-type"
    case missingHeader = "missing-header"
    case noMAC = "no-mac"
    /// A MAC no class and no inventory device knows.
    case unknownDevice = "unknown-device"
    /// Over the per-source rate.
    case rateLimited = "rate-limited"
    /// Too many subscriptions in flight at once.
    case busy

    init(_ rejection: PnPSubscribe.Rejection) {
        switch rejection {
        case .notSubscribe: self = .notSubscribe
        case .otherEvent: self = .otherEvent
        case .otherProfileType: self = .otherProfileType
        case .missingHeader: self = .missingHeader
        case .noMAC: self = .noMAC
        }
    }
}

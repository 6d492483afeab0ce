/// The DHCP message type carried in option 53 (RFC 2132 §9.6).
public struct MessageType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let discover = MessageType(rawValue: 1)
    public static let offer = MessageType(rawValue: 2)
    public static let request = MessageType(rawValue: 3)
    public static let decline = MessageType(rawValue: 4)
    public static let ack = MessageType(rawValue: 5)
    public static let nak = MessageType(rawValue: 6)
    public static let release = MessageType(rawValue: 7)
    public static let inform = MessageType(rawValue: 8)

    public var description: String {
        switch rawValue {
        case 1: "DISCOVER"
        case 2: "OFFER"
        case 3: "REQUEST"
        case 4: "DECLINE"
        case 5: "ACK"
        case 6: "NAK"
        case 7: "RELEASE"
        case 8: "INFORM"
        default: "TYPE\(rawValue)"
        }
    }
}

/// BOOTP `op` (RFC 2131 §2).
public enum OpCode: UInt8, Sendable {
    case bootRequest = 1
    case bootReply = 2
}

/// Why a datagram could not be decoded as a DHCPv4 message.
///
/// Every case is a reason a server counts and logs before dropping the
/// packet; `reason` is a short stable label suitable for a metric.
public enum DHCPDecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The fixed BOOTP header (236 bytes) or the magic cookie is cut short.
    case truncated(field: String, needed: Int, available: Int)
    /// The four bytes after the header are not 99.130.83.99 (RFC 2131 §3).
    case badMagicCookie(UInt32)
    /// `hlen` is larger than the 16-byte `chaddr` field.
    case hardwareAddressTooLong(UInt8)
    /// An option's length byte runs past the end of its area.
    case optionPastEnd(code: UInt8, length: Int, available: Int)
    /// Option 52 (overload) with a value other than 1, 2 or 3, or a length other than 1.
    case invalidOverload([UInt8])
    /// `op` is neither BOOTREQUEST (1) nor BOOTREPLY (2).
    case badOpCode(UInt8)
    /// Option 52 found inside an overloaded `file` or `sname`: RFC 2131 §4.1
    /// allows it only in the options field; following it could loop.
    case overloadInsideField(String)

    public var reason: String {
        switch self {
        case .truncated: "truncated"
        case .badMagicCookie: "bad_magic_cookie"
        case .hardwareAddressTooLong: "hlen_too_long"
        case .optionPastEnd: "option_past_end"
        case .invalidOverload: "invalid_overload"
        case .badOpCode: "bad_op_code"
        case .overloadInsideField: "overload_loop"
        }
    }

    public var description: String {
        switch self {
        case let .truncated(field, needed, available):
            "truncated \(field): needed \(needed) bytes, \(available) available"
        case let .badMagicCookie(value):
            "bad magic cookie 0x\(String(value, radix: 16)), wanted 0x63825363"
        case let .hardwareAddressTooLong(hlen):
            "hlen \(hlen) is longer than the 16-byte chaddr field"
        case let .optionPastEnd(code, length, available):
            "option \(code) declares \(length) bytes, only \(available) left"
        case let .invalidOverload(value):
            "option 52 (overload) must be one byte 1, 2 or 3, got \(value)"
        case let .badOpCode(op):
            "op \(op) is neither BOOTREQUEST (1) nor BOOTREPLY (2)"
        case let .overloadInsideField(field):
            "option 52 (overload) inside the overloaded \(field) field; it is allowed only in the options field"
        }
    }
}

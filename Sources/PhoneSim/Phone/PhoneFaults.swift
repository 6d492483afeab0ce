/// Misbehaviours a simulated phone can be given (`--fault MAC=kind,...`).
public struct PhoneFaults: Sendable, Hashable {
    /// Every API reply is delayed this many milliseconds.
    public var slowMilliseconds: Int?
    /// The API listener is never opened.
    public var unreachable = false
    /// `info.dev.Mac` answers another MAC.
    public var wrongMAC = false
    /// `set` answers RetCode 1 and applies nothing.
    public var setFails = false
    /// API replies carry a body that is not XML.
    public var malformed = false
    /// The first `set` drops the connection and reboots the phone.
    public var rebootOnPush = false
    /// SIP registers with a wrong password whatever the config says.
    public var wrongSIPPassword = false

    public init() {}

    public enum ParseError: Error, CustomStringConvertible, Equatable {
        case unknownKind(String)
        public var description: String {
            switch self {
            case let .unknownKind(kind):
                "unknown fault \"\(kind)\", wanted slow=MS, unreachable, wrong-mac, set-fails, malformed, reboot-on-push or wrong-sip-password"
            }
        }
    }

    /// Parses `slow=200,unreachable` and adds the kinds to these faults.
    public mutating func add(_ text: String) throws(ParseError) {
        for raw in text.split(separator: ",") {
            let kind = KeyValueText.trimmed(raw).lowercased()
            switch kind {
            case "unreachable": unreachable = true
            case "wrong-mac": wrongMAC = true
            case "set-fails": setFails = true
            case "malformed": malformed = true
            case "reboot-on-push": rebootOnPush = true
            case "wrong-sip-password": wrongSIPPassword = true
            default:
                guard kind.hasPrefix("slow="), let ms = Int(kind.dropFirst(5)), ms >= 0 else {
                    throw .unknownKind(kind)
                }
                slowMilliseconds = ms
            }
        }
    }

    /// Faults parsed from `text`.
    public init(parsing text: String) throws(ParseError) {
        self.init()
        try add(text)
    }
}

/// The body of a `POST /xmlService` request, in the vendor guide's shapes
/// (FANVIL.md §4):
///
///     <?xml version="1.0" encoding="UTF-8" ?>
///     <FanvilConfiguration Beep="no" cmd="set">
///     <Item>sip.line.1.RegisterAddr = 172.16.1.3</Item>
///     </FanvilConfiguration>
///
/// and for execute items
///
///     <FanvilPhoneExecute beep="no">
///     <ExecuteItem>URI="Cmd:Reboot"</ExecuteItem>
///     </FanvilPhoneExecute>
///
/// Keys and values are XML-escaped; what escaping cannot make safe (a key with
/// `=` or whitespace, a control character in a value) is refused.
/// `Beep="no"` is unconfirmed on real firmware (the guide only shows "yes").
public struct XMLServiceRequest: Sendable, Equatable {
    public enum Command: String, Sendable {
        case get, set, del, execute
    }

    public var command: Command
    /// The UTF-8 XML body.
    public var body: String

    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"

    /// `cmd="get"` of keys; a key ending in `.` (`sip.line.1.`) asks for every
    /// key under it, `.` alone for all.
    public static func get(_ keys: [String], beep: Bool = false) throws(XMLServiceRequestError) -> Self {
        try configuration(.get, items: keys.map { key throws(XMLServiceRequestError) in
            try XMLServiceRequestCheck.key(key)
            return XMLEscaping.text(key)
        }, beep: beep)
    }

    /// `cmd="set"` of `key = value` items, in order (the phone stops at the
    /// first bad item). Values may contain `=`; surrounding spaces are trimmed
    /// by the phone.
    public static func set(
        _ items: [(key: String, value: String)], beep: Bool = false
    ) throws(XMLServiceRequestError) -> Self {
        try configuration(.set, items: items.map { item throws(XMLServiceRequestError) in
            try XMLServiceRequestCheck.key(item.key)
            try XMLServiceRequestCheck.value(item.value, of: item.key)
            return XMLEscaping.text(item.key) + " = " + XMLEscaping.text(item.value)
        }, beep: beep)
    }

    /// `cmd="del"` of keys: `mmifilter.1` deletes entry 1, `mmifilter.` the list.
    public static func del(_ keys: [String], beep: Bool = false) throws(XMLServiceRequestError) -> Self {
        try configuration(.del, items: keys.map { key throws(XMLServiceRequestError) in
            try XMLServiceRequestCheck.key(key)
            return XMLEscaping.text(key)
        }, beep: beep)
    }

    /// A FanvilPhoneExecute of one URI (`Cmd:Reboot`, `Key:F1`, `Led:...`,
    /// `Dial:...`, `Shell:...`).
    public static func execute(_ uri: String, beep: Bool = false) throws(XMLServiceRequestError) -> Self {
        try XMLServiceRequestCheck.uri(uri)
        let body = declaration
            + "<FanvilPhoneExecute beep=\"\(beep ? "yes" : "no")\">\n"
            + "<ExecuteItem>URI=\"\(XMLEscaping.text(uri))\"</ExecuteItem>\n"
            + "</FanvilPhoneExecute>\n"
        return Self(command: .execute, body: body)
    }

    private static func configuration(
        _ command: Command, items: [String], beep: Bool
    ) throws(XMLServiceRequestError) -> Self {
        guard !items.isEmpty else { throw .noItems(command: command.rawValue) }
        var body = declaration
            + "<FanvilConfiguration Beep=\"\(beep ? "yes" : "no")\" cmd=\"\(command.rawValue)\">\n"
        for item in items { body += "<Item>\(item)</Item>\n" }
        body += "</FanvilConfiguration>\n"
        return Self(command: command, body: body)
    }
}

/// The phone's web admin account, used for xmlService when the phone has
/// "Enable Push XML Auth" on (FANVIL.md §4).
///
/// The password never appears in `description`, `debugDescription`, string
/// interpolation or a dump through either: only the user name does.
public struct PhoneCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public var user: String
    public var password: String
    /// Whether a Basic challenge may be answered over plain `http` (the
    /// password would cross the network in clear). Off by default: the
    /// client then refuses with `PhoneAPIError.basicOverHTTP` and sends
    /// nothing. Over `https` Basic is always answered.
    public var basicOverHTTP: Bool

    public init(user: String, password: String, basicOverHTTP: Bool = false) {
        self.user = user
        self.password = password
        self.basicOverHTTP = basicOverHTTP
    }

    public var description: String {
        "PhoneCredentials(user: \(String(reflecting: user)), password: <redacted>"
            + (basicOverHTTP ? ", basicOverHTTP: true)" : ")")
    }

    public var debugDescription: String { description }

    /// `dump()` and `Mirror` see the user name only.
    public var customMirror: Mirror {
        Mirror(self, children: ["user": user, "password": "<redacted>", "basicOverHTTP": basicOverHTTP],
               displayStyle: .struct)
    }
}

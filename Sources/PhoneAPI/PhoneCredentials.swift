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

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    public var description: String { "PhoneCredentials(user: \(String(reflecting: user)), password: <redacted>)" }

    public var debugDescription: String { description }

    /// `dump()` and `Mirror` see the user name only.
    public var customMirror: Mirror {
        Mirror(self, children: ["user": user, "password": "<redacted>"], displayStyle: .struct)
    }
}

/// What the simulated phone answers to one xmlService request, before it is
/// written in one of the `ReplyShape`s, and what it does afterwards.
public struct XMLServiceAnswer: Sendable {
    /// What the phone does once the reply is on its way.
    public enum Effect: Sendable, Equatable {
        /// Register these lines again (a `set` touched `sip.line.N.*`).
        case reregister(lines: [Int])
        /// Reboot: close the API, run the boot again.
        case reboot
    }

    /// The root element: `FanvilConfiguration` or `FanvilPhoneExecute`.
    public var root: String
    public var retCode: Int
    /// The `get` items, `nil` for other commands (no `<info>` then).
    public var items: [(key: String, value: String)]?
    public var effects: [Effect]

    public init(root: String = "FanvilConfiguration", retCode: Int, items: [(key: String, value: String)]? = nil, effects: [Effect] = []) {
        self.root = root
        self.retCode = retCode
        self.items = items
        self.effects = effects
    }
}

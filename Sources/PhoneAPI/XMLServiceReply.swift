/// A phone's reply to `POST /xmlService`, as typed values (FANVIL.md §4).
///
/// Built by `init(parsing:)` from the raw body, which real phones do not always
/// send well-formed: see `XMLReplyRepair` and `XMLServiceReply+Parsing.swift`.
public struct XMLServiceReply: Sendable {
    /// The root element's name as the phone spelled it
    /// (`FanvilConfiguration`, `FanvilPhoneExecute`).
    public var root: String

    /// `<RetCode>` as a number, 0 meaning success. `nil` when the reply has no
    /// RetCode (some firmware omits it) or when it is not an integer; the
    /// trimmed text is then in `retCodeText`.
    public var retCode: Int?

    /// The trimmed text of the first `<RetCode>`, `nil` when there is none.
    public var retCodeText: String?

    /// The `<Item>` elements under `<info>` or `<Info>`, in document order.
    /// Keys have every whitespace character removed (`info. dev.Model` →
    /// `info.dev.Model`), values are trimmed; a key the phone does not know
    /// comes back with an empty value.
    public var items: [(key: String, value: String)]

    /// The CDATA payload under `<info>` of a FanvilPhoneExecute reply (the
    /// output of a Shell or Cmd execute item), `nil` when there is none.
    public var executeOutput: String?

    public init(
        root: String,
        retCode: Int? = nil,
        retCodeText: String? = nil,
        items: [(key: String, value: String)] = [],
        executeOutput: String? = nil
    ) {
        self.root = root
        self.retCode = retCode
        self.retCodeText = retCodeText
        self.items = items
        self.executeOutput = executeOutput
    }

    /// The value of the first item with this key (normalised the same way as
    /// the reply's keys), `nil` when the reply has no such item.
    public func value(for key: String) -> String? {
        let wanted = XMLServiceItemText.normalisedKey(key[...])
        return items.first { $0.key == wanted }?.value
    }

    /// The item keys in document order.
    public var keys: [String] { items.map(\.key) }
}

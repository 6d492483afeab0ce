/// `key = value` text as phones write it in config files and `<Item>`s:
/// keys lose every whitespace character (`info. dev.Mac` → `info.dev.Mac`),
/// values are trimmed, the split is at the first `=`.
public enum KeyValueText {
    /// The key and value of `text`; a text without `=` is a key with an
    /// empty value and `hasEquals` false. `nil` when the key is empty.
    public static func split(_ text: some StringProtocol) -> (key: String, value: String)? {
        splitDetailed(text).flatMap { $0.key.isEmpty ? nil : ($0.key, $0.value) }
    }

    /// Like `split`, but keeps an empty key and says whether `=` was there.
    public static func splitDetailed(_ text: some StringProtocol) -> (key: String, value: String, hasEquals: Bool)? {
        let sub = Substring(text)
        guard let equals = sub.firstIndex(of: "=") else { return (normalisedKey(sub), "", false) }
        return (normalisedKey(sub[..<equals]), trimmed(sub[sub.index(after: equals)...]), true)
    }

    /// The key with every whitespace character removed.
    public static func normalisedKey(_ raw: Substring) -> String {
        String(String.UnicodeScalarView(raw.unicodeScalars.filter { !$0.properties.isWhitespace }))
    }

    /// The text without leading or trailing whitespace.
    public static func trimmed(_ raw: Substring) -> String {
        guard let first = raw.firstIndex(where: { !$0.isWhitespace }),
              let last = raw.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(raw[first...last])
    }
}

import SafeText

/// What the request builders refuse: whatever the phone's `key = value`
/// parsing would read differently from what the caller meant.
enum XMLServiceRequestCheck {
    /// A key is non-empty and has no `=`, whitespace or control character.
    static func key(_ key: String) throws(XMLServiceRequestError) {
        let bad = key.unicodeScalars.contains {
            $0 == "=" || $0.properties.isWhitespace || isControl($0)
        }
        guard !key.isEmpty, !bad else { throw .invalidKey(key) }
    }

    /// A value has nothing `ValueSafety` refuses (a newline, NEL or U+2028
    /// would end the item on a line-based parser). The value itself is never
    /// put in the error.
    static func value(_ value: String, of key: String) throws(XMLServiceRequestError) {
        guard ValueSafety.firstViolation(in: value) == nil else {
            throw .invalidValue(key: key)
        }
    }

    /// An execute URI is non-empty, with no `"` (it is written inside
    /// `URI="..."`) and no control character.
    static func uri(_ uri: String) throws(XMLServiceRequestError) {
        let bad = uri.unicodeScalars.contains { $0 == "\"" || isControl($0) }
        guard !uri.isEmpty, !bad else { throw .invalidURI }
    }

    /// Keys and URIs: no scalar `ValueSafety` refuses either.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        !ValueSafety.isAllowed(scalar)
    }
}

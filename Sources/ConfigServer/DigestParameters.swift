import DigestAuth

/// The parameter list of an `Authorization: Digest ...` header: outside
/// input, parsed by the shared `DigestAuthParameters` and fuzzed (Fuzz/).
extension DigestAuthenticator {
    /// `key=value, key="quoted, value"` pairs, keys lowercased.
    static func parameters(_ text: String) -> [String: String] {
        DigestAuthParameters.parse(text[...])
    }
}

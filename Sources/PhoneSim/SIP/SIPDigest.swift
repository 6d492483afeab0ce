import DigestAuth
import Crypto
import Foundation

/// HTTP Digest as SIP uses it (RFC 2617, RFC 7616, RFC 3261 §22): MD5 and
/// SHA-256, `qop=auth` or none (RFC 2069 compatibility).
public enum SIPDigest {
    public enum Algorithm: String, Sendable, Hashable, CaseIterable {
        case md5 = "MD5"
        case sha256 = "SHA-256"

        /// The algorithm a challenge's `algorithm` token names (absent means
        /// MD5), nil when unsupported.
        public init?(token: String?) {
            guard let token else { self = .md5; return }
            switch token.uppercased() {
            case "MD5": self = .md5
            case "SHA-256": self = .sha256
            default: return nil
            }
        }
    }

    /// The lowercase hex hash of `text`.
    public static func hash(_ text: String, _ algorithm: Algorithm) -> String {
        switch algorithm {
        case .md5: return hex(Insecure.MD5.hash(data: Data(text.utf8)))
        case .sha256: return hex(SHA256.hash(data: Data(text.utf8)))
        }
    }

    /// The `response` value (RFC 7616 §3.4.1): with `qop`, of
    /// HA1:nonce:nc:cnonce:qop:HA2; without, of HA1:nonce:HA2.
    public static func response(
        algorithm: Algorithm, username: String, realm: String, password: String,
        method: String, uri: String, nonce: String, qop: String? = nil, nc: String? = nil, cnonce: String? = nil
    ) -> String {
        let ha1 = hash("\(username):\(realm):\(password)", algorithm)
        let ha2 = hash("\(method):\(uri)", algorithm)
        if let qop, let nc, let cnonce {
            return hash("\(ha1):\(nonce):\(nc):\(cnonce):\(qop):\(ha2)", algorithm)
        }
        return hash("\(ha1):\(nonce):\(ha2)", algorithm)
    }

    /// The `key=value` pairs after the scheme of a `WWW-Authenticate` or
    /// `Authorization` value, keys lowercased; quoted values unquoted
    /// (backslash escapes honoured, commas inside quotes kept). Returns nil
    /// unless the scheme is Digest.
    public static func parameters(ofHeader value: String) -> [String: String]? {
        let trimmed = value.trimmingSpaces()
        guard trimmed.count > 6, trimmed.prefix(6).lowercased() == "digest",
              let sep = trimmed.dropFirst(6).first, sep == " " || sep == "\t" else { return nil }
        return parameters(String(trimmed.dropFirst(7)))
    }

    /// `key=value, key="quoted, value"` pairs, keys lowercased; the first
    /// of a repeated key wins (the shared parser).
    public static func parameters(_ text: String) -> [String: String] {
        DigestAuthParameters.parse(text[...])
    }

    /// Quotes a parameter value, escaping `"` and `\`.
    static func quoted(_ value: String) -> String { DigestAuthParameters.quoted(value) }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in digest { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Compares without leaking where two strings first differ.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

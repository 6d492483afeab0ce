import DigestAuth
import Crypto
import Foundation

/// The `Authorization` header value answering an `AuthChallenge`.
///
/// The value holds the password (Basic) or a hash of it (Digest): it is put
/// on the request and nowhere else, never logged, never in an error.
enum AuthorizationHeader {
    /// - Parameters:
    ///   - nc: the nonce count, 1 for the first use of a Digest nonce.
    ///   - uri: the request target (`/xmlService`).
    ///   - cnonce: the client nonce; a fresh random one when `nil`.
    static func value(
        answering challenge: AuthChallenge, credentials: PhoneCredentials, method: String, uri: String,
        nc: Int, cnonce: String? = nil
    ) -> String {
        switch challenge {
        case .basic:
            return "Basic " + Data("\(credentials.user):\(credentials.password)".utf8).base64EncodedString()
        case let .digest(digest):
            return digestValue(digest, credentials: credentials, method: method, uri: uri, nc: nc,
                               cnonce: cnonce ?? randomCnonce())
        }
    }

    /// RFC 7616 §3.4 (and RFC 2069 when the challenge has no qop).
    static func digestValue(
        _ challenge: DigestChallenge, credentials: PhoneCredentials, method: String, uri: String,
        nc: Int, cnonce: String
    ) -> String {
        let hash: (String) -> String = { hexDigest($0, challenge.algorithm) }
        let ha1 = hash("\(credentials.user):\(challenge.realm):\(credentials.password)")
        let ha2 = hash("\(method):\(uri)")
        let ncText = nonceCount(nc)
        let response = challenge.qopAuth
            ? hash("\(ha1):\(challenge.nonce):\(ncText):\(cnonce):auth:\(ha2)")
            : hash("\(ha1):\(challenge.nonce):\(ha2)")
        var parts = [
            "username=\(quoted(credentials.user))",
            "realm=\(quoted(challenge.realm))",
            "nonce=\(quoted(challenge.nonce))",
            "uri=\(quoted(uri))",
        ]
        if challenge.algorithmNamed { parts.append("algorithm=\(challenge.algorithm.rawValue)") }
        parts.append("response=\"\(response)\"")
        if challenge.qopAuth { parts += ["qop=auth", "nc=\(ncText)", "cnonce=\(quoted(cnonce))"] }
        if let opaque = challenge.opaque { parts.append("opaque=\(quoted(opaque))") }
        return "Digest " + parts.joined(separator: ", ")
    }

    /// Eight lowercase hex digits, as RFC 7616 writes `nc`.
    static func nonceCount(_ nc: Int) -> String {
        let hex = String(UInt32(truncatingIfNeeded: nc), radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    static func hexDigest(_ text: String, _ algorithm: DigestChallenge.Algorithm) -> String {
        let data = Data(text.utf8)
        switch algorithm {
        case .md5: return hex(Insecure.MD5.hash(data: data))
        case .sha256: return hex(SHA256.hash(data: data))
        }
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// 16 random bytes in hex.
    static func randomCnonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return hex((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// A quoted-string, `"` and `\` escaped.
    static func quoted(_ text: String) -> String { DigestAuthParameters.quoted(text) }
}

import DigestAuth
import Crypto
import Foundation

/// How the simulated phone checks `Authorization` on xmlService requests
/// when `phone.EnablePushXMLAuth` = 1: HTTP Digest (RFC 7616, MD5 or
/// SHA-256, `qop=auth` or none) with the phone's own nonce, or Basic.
public struct PhoneAuth: Sendable {
    public let realm: String
    /// The one nonce this phone issues (fresh per API listener).
    public let nonce: String

    public init(realm: String, nonce: String = PhoneAuth.makeNonce()) {
        self.realm = realm
        self.nonce = nonce
    }

    public static func makeNonce() -> String {
        (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    /// The `WWW-Authenticate` value of a 401.
    public var challenge: String {
        "Digest realm=\"\(realm)\", nonce=\"\(nonce)\", qop=\"auth\", algorithm=MD5"
    }

    /// Whether `header` proves the account for `method` on `uri`.
    public func accepts(header: String?, method: String, user: String, password: String) -> Bool {
        guard let header else { return false }
        let lower = header.lowercased()
        if lower.hasPrefix("basic ") {
            guard let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
                  let text = String(data: data, encoding: .utf8) else { return false }
            return Self.equal(text, "\(user):\(password)")
        }
        guard lower.hasPrefix("digest ") else { return false }
        let p = Self.parameters(String(header.dropFirst(7)))
        guard p["username"] == user, p["realm"] == realm, p["nonce"] == nonce,
              let uri = p["uri"], let response = p["response"] else { return false }
        let algorithm = (p["algorithm"] ?? "MD5").uppercased()
        guard algorithm == "MD5" || algorithm == "SHA-256" else { return false }
        let hash: (String) -> String = { algorithm == "MD5" ? Self.md5($0) : Self.sha256($0) }
        let ha1 = hash("\(user):\(realm):\(password)")
        let ha2 = hash("\(method):\(uri)")
        let expected: String
        if let qop = p["qop"] {
            guard qop == "auth", let nc = p["nc"], let cnonce = p["cnonce"] else { return false }
            expected = hash("\(ha1):\(nonce):\(nc):\(cnonce):\(qop):\(ha2)")
        } else {
            expected = hash("\(ha1):\(nonce):\(ha2)")
        }
        return Self.equal(expected, response.lowercased())
    }

    /// `key=value, key="quoted, value"` pairs, keys lowercased.
    static func parameters(_ text: String) -> [String: String] { DigestAuthParameters.parse(text[...]) }

    static func md5(_ text: String) -> String { hex(Insecure.MD5.hash(data: Data(text.utf8))) }
    static func sha256(_ text: String) -> String { hex(SHA256.hash(data: Data(text.utf8))) }

    private static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Comparison whose time does not depend on where the texts differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

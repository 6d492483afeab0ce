import Crypto
import Foundation

/// HTTP Digest (RFC 7616) for the phones' `ap.DefaultUsername/Password`:
/// MD5 (what phones do) and SHA-256, `qop=auth` or none. Nonces are
/// stateless: a timestamp and its HMAC under a key made at start, valid for
/// `nonceLifetime` seconds; an old but genuine nonce is answered `stale=true`.
public struct DigestAuthenticator: Sendable {
    public enum Outcome: Equatable, Sendable {
        case valid
        /// No Digest credentials at all.
        case missing
        /// Credentials that do not check out (or a stale nonce).
        case invalid(stale: Bool)
    }

    public let realm: String
    /// The nonce key's bytes (`SymmetricKey` is not `Sendable`).
    let key: [UInt8]
    let nonceLifetime: Double

    public init(realm: String, nonceLifetime: Double = 300, key: [UInt8] = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }) {
        self.realm = realm
        self.key = key
        self.nonceLifetime = nonceLifetime
    }

    /// The `WWW-Authenticate` values to send with a 401, MD5 first (phones
    /// take the first they understand).
    public func challenges(now: Double, stale: Bool = false) -> [String] {
        let nonce = makeNonce(time: now)
        let staleParam = stale ? ", stale=true" : ""
        return ["MD5", "SHA-256"].map {
            "Digest realm=\"\(realm)\", qop=\"auth\", algorithm=\($0), nonce=\"\(nonce)\"\(staleParam)"
        }
    }

    /// Checks an `Authorization` header for `method` and the request target
    /// `uri` against the user's password.
    public func verify(
        header: String?, method: String, uri: String, now: Double, password: (String) -> String?
    ) -> Outcome {
        guard let header, header.lowercased().hasPrefix("digest ") else { return .missing }
        let p = Self.parameters(String(header.dropFirst(7)))
        guard let user = p["username"], let nonce = p["nonce"], let response = p["response"], let digestURI = p["uri"],
              p["realm"] == realm, digestURI == uri else { return .invalid(stale: false) }
        guard let issued = nonceTime(nonce) else { return .invalid(stale: false) }
        let algorithm = (p["algorithm"] ?? "MD5").uppercased()
        guard algorithm == "MD5" || algorithm == "SHA-256", let secret = password(user) else { return .invalid(stale: false) }
        let qop = p["qop"]
        guard qop == nil || qop == "auth" else { return .invalid(stale: false) }
        if qop != nil && (p["nc"] == nil || p["cnonce"] == nil) { return .invalid(stale: false) }
        let expected = Self.response(
            algorithm: algorithm, user: user, realm: realm, password: secret, method: method, uri: digestURI,
            nonce: nonce, nc: p["nc"], cnonce: p["cnonce"], qop: qop)
        guard Self.constantTimeEqual(expected, response.lowercased()) else { return .invalid(stale: false) }
        guard now - issued <= nonceLifetime, issued <= now + 5 else { return .invalid(stale: true) }
        return .valid
    }

    /// The `response` a client computes (RFC 7616 §3.4.1), MD5 or SHA-256.
    static func response(
        algorithm: String, user: String, realm: String, password: String, method: String, uri: String,
        nonce: String, nc: String?, cnonce: String?, qop: String?
    ) -> String {
        let hash: (String) -> String = { algorithm == "MD5" ? md5($0) : sha256($0) }
        let ha1 = hash("\(user):\(realm):\(password)")
        let ha2 = hash("\(method):\(uri)")
        if let qop, let nc, let cnonce { return hash("\(ha1):\(nonce):\(nc):\(cnonce):\(qop):\(ha2)") }
        return hash("\(ha1):\(nonce):\(ha2)")
    }

    func makeNonce(time: Double) -> String {
        let stamp = String(Int64(time))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(stamp.utf8), using: SymmetricKey(data: key))
        return stamp + "." + Data(mac).prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// The time a nonce we issued carries, nil for a forged one.
    func nonceTime(_ nonce: String) -> Double? {
        let parts = nonce.split(separator: ".")
        guard parts.count == 2, let time = Int64(parts[0]) else { return nil }
        let expected = makeNonce(time: Double(time))
        return Self.constantTimeEqual(expected, nonce) ? Double(time) : nil
    }

    static func md5(_ text: String) -> String {
        Insecure.MD5.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

import Crypto
import Foundation
import Logging
import Synchronization

/// HTTP Digest (RFC 7616) for the phones' `ap.DefaultUsername/Password`:
/// MD5 (what phones do) and SHA-256, `qop=auth` or none.
///
/// Nonces are stateless: a timestamp and its HMAC, under a key made at
/// start, over the timestamp and the client's address, so a nonce issued to
/// one address is refused from any other; valid for `nonce_lifetime`
/// seconds, an old but genuine nonce is answered `stale=true`.
///
/// Replays (issue 13, item 6): the highest `nc` accepted per nonce is kept
/// (`DigestNonceTable`); the same or a lower count again is refused.
/// Guessing: failures per source address are counted (`DigestThrottle`);
/// past `max_failures` in `failure_window`, that address is refused for
/// `cooldown` seconds before anything is parsed or hashed.
public struct DigestAuthenticator: Sendable {
    public enum Outcome: Equatable, Sendable {
        case valid
        /// No Digest credentials at all.
        case missing
        /// Credentials that do not check out (or a stale nonce).
        case invalid(stale: Bool)
        /// A right response with a nonce count already used: a replay.
        case replayed
        /// The source address is cooling down after too many failures;
        /// nothing was checked.
        case throttled(retryAfter: Int)
    }

    public let realm: String
    /// The nonce key's bytes (`SymmetricKey` is not `Sendable`).
    let key: [UInt8]
    let state: DigestGuard
    let logger: Logger

    public init(
        realm: String, key: [UInt8] = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) },
        logger: Logger = Logger(label: "autoprov.digest")
    ) {
        self.realm = realm
        self.key = key
        self.state = DigestGuard()
        self.logger = logger
    }

    /// The `WWW-Authenticate` values to send with a 401, MD5 first (phones
    /// take the first they understand), with a nonce for `client`.
    public func challenges(now: Double, client: String, stale: Bool = false) -> [String] {
        let nonce = makeNonce(time: now, client: client)
        let staleParam = stale ? ", stale=true" : ""
        return ["MD5", "SHA-256"].map {
            "Digest realm=\"\(realm)\", qop=\"auth\", algorithm=\($0), nonce=\"\(nonce)\"\(staleParam)"
        }
    }

    /// Checks an `Authorization` header for `method` and the request target
    /// `uri`, sent from `client` (its address), against the user's password.
    public func verify(
        header: String?, method: String, uri: String, client: String, now: Double,
        settings: DigestSettings = DigestSettings(), password: (String) -> String?
    ) -> Outcome {
        if let left = state.throttle.withLock({ $0.blocked(client, now: now) }) {
            return .throttled(retryAfter: max(1, Int(left.rounded(.up))))
        }
        guard let header, header.lowercased().hasPrefix("digest ") else { return .missing }
        switch check(header: header, method: method, uri: uri, client: client, now: now, settings: settings, password: password) {
        case .valid: return .valid
        case .invalid(stale: true): return .invalid(stale: true)
        case let outcome:
            failed(client, now: now, settings: settings)
            return outcome
        }
    }

    private func check(
        header: String, method: String, uri: String, client: String, now: Double, settings: DigestSettings,
        password: (String) -> String?
    ) -> Outcome {
        let p = Self.parameters(String(header.dropFirst(7)))
        guard let user = p["username"], let nonce = p["nonce"], let response = p["response"], let digestURI = p["uri"],
              p["realm"] == realm, digestURI == uri else { return .invalid(stale: false) }
        guard let issued = nonceTime(nonce, client: client) else { return .invalid(stale: false) }
        let algorithm = (p["algorithm"] ?? "MD5").uppercased()
        guard algorithm == "MD5" || algorithm == "SHA-256", let secret = password(user) else { return .invalid(stale: false) }
        let qop = p["qop"]
        guard qop == nil || qop == "auth" else { return .invalid(stale: false) }
        // Without qop there is no nc: the nonce is good for one request.
        let count: UInt64
        if qop != nil {
            guard let nc = p["nc"], p["cnonce"] != nil, let value = Self.nonceCount(nc) else { return .invalid(stale: false) }
            count = value
        } else {
            count = 1
        }
        state.responsesComputed.add(1, ordering: .relaxed)
        let expected = Self.response(
            algorithm: algorithm, user: user, realm: realm, password: secret, method: method, uri: digestURI,
            nonce: nonce, nc: p["nc"], cnonce: p["cnonce"], qop: qop)
        guard Self.constantTimeEqual(expected, response.lowercased()) else { return .invalid(stale: false) }
        guard now - issued <= settings.nonceLifetime, issued <= now + 5 else { return .invalid(stale: true) }
        let fresh = state.nonces.withLock {
            $0.admit(nonce: nonce, nc: count, issued: issued, now: now, lifetime: settings.nonceLifetime)
        }
        return fresh ? .valid : .replayed
    }

    /// Counts a failure from `client`; logs once when its cooldown starts.
    private func failed(_ client: String, now: Double, settings: DigestSettings) {
        let engaged = state.throttle.withLock { $0.failed(client, now: now, settings: settings) }
        guard engaged else { return }
        logger.notice("digest attempts throttled", metadata: [
            "ip": "\(client)", "failures": "\(settings.maxFailures)", "window": "\(settings.failureWindow)",
            "cooldown": "\(settings.cooldown)",
        ])
    }

    /// `nc`: 8 hex digits (RFC 7616 §3.4); 1 to 16 are taken.
    static func nonceCount(_ text: String) -> UInt64? {
        guard (1...16).contains(text.utf8.count), text.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return nil }
        return UInt64(text, radix: 16)
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

    /// `time.salt.mac`: the issue time, 64 random bits (each challenge gets
    /// its own nonce, so two fetches in one second never share a count), and
    /// the HMAC of both with the client's address.
    func makeNonce(time: Double, client: String, salt: UInt64 = .random(in: .min ... .max)) -> String {
        let stamp = String(Int64(time))
        let saltText = String(salt, radix: 16)
        return stamp + "." + saltText + "." + nonceMAC(stamp: stamp, salt: saltText, client: client)
    }

    private func nonceMAC(stamp: Substring, salt: Substring, client: String) -> String {
        let text = stamp + "|" + salt + "|" + client
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: key))
        return Data(mac).prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    private func nonceMAC(stamp: String, salt: String, client: String) -> String {
        nonceMAC(stamp: stamp[...], salt: salt[...], client: client)
    }

    /// The time a nonce we issued to `client` carries; nil for a forged
    /// one, or one issued to another address.
    func nonceTime(_ nonce: String, client: String) -> Double? {
        let parts = nonce.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].utf8.count <= 16, let time = Int64(parts[0]) else { return nil }
        let expected = nonceMAC(stamp: parts[0], salt: parts[1], client: client)
        return Self.constantTimeEqual(expected, String(parts[2])) ? Double(time) : nil
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

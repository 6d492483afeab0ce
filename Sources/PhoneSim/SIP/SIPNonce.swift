import Crypto
import Foundation

/// Stateless registrar nonces: the issue time and an HMAC of it under a key
/// made at start (`<hex seconds>.<32 hex>`), valid for `lifetime` seconds.
/// Nothing is stored per challenge, so any number of phones may be
/// challenged at once.
struct SIPNonce: Sendable {
    enum Check: Equatable { case valid, stale, forged }

    /// The key's bytes (`SymmetricKey` is not `Sendable`).
    let key: [UInt8]
    let lifetime: Double

    init(lifetime: Double = 300, key: [UInt8] = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }) {
        self.key = key
        self.lifetime = lifetime
    }

    func make(now: Double) -> String {
        let stamp = String(UInt64(max(0, now)), radix: 16)
        let mac = HMAC<SHA256>.authenticationCode(for: Data(stamp.utf8), using: SymmetricKey(data: key))
        return stamp + "." + SIPDigest.hex(Data(mac).prefix(16))
    }

    func check(_ nonce: String, now: Double) -> Check {
        let parts = nonce.split(separator: ".")
        guard parts.count == 2, let issued = UInt64(parts[0], radix: 16),
              SIPDigest.constantTimeEqual(make(now: Double(issued)), nonce) else { return .forged }
        let age = now - Double(issued)
        return age <= lifetime && age >= -5 ? .valid : .stale
    }
}

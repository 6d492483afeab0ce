/// A 48-bit Ethernet hardware address.
///
/// Text forms accepted: `0c:38:3e:07:e1:6c`, `0c-38-3e-07-e1-6c`,
/// `0c383e07e16c` and Cisco's `0c38.3e07.e16c` (any case, one separator
/// kind, in its places). `description` is colon-separated lowercase;
/// `compact` is the 12-hex-digit form Fanvil phones use in file names.
public struct MACAddress: Hashable, Sendable, Comparable, LosslessStringConvertible, Codable {
    /// The six octets in the low 48 bits, first octet most significant.
    public var value: UInt64

    public init(value: UInt64) { self.value = value & 0xFFFF_FFFF_FFFF }

    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 6 else { return nil }
        var v: UInt64 = 0
        for b in bytes { v = v << 8 | UInt64(b) }
        value = v
    }

    public init?(_ text: String) {
        let chars = Array(text.utf8)
        // Each form: where its separators sit, and which separators it allows.
        let positions: [Int], allowed: [UInt8]
        switch chars.count {
        case 12: (positions, allowed) = ([], [])
        case 14: (positions, allowed) = ([4, 9], [UInt8(ascii: ".")])
        case 17: (positions, allowed) = ([2, 5, 8, 11, 14], [UInt8(ascii: ":"), UInt8(ascii: "-")])
        default: return nil
        }
        let separator = positions.first.map { chars[$0] }
        if let separator, !allowed.contains(separator) { return nil }
        var v: UInt64 = 0
        for (i, c) in chars.enumerated() {
            if positions.contains(i) {
                guard c == separator else { return nil }
                continue
            }
            guard let digit = Self.hexValue(c) else { return nil }
            v = v << 4 | UInt64(digit)
        }
        value = v
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    public var bytes: [UInt8] { (0..<6).map { UInt8(value >> (40 - 8 * UInt64($0)) & 0xFF) } }

    /// The first three octets (the OUI) as a 24-bit number.
    public var oui: UInt32 { UInt32(value >> 24) }

    public var description: String { text(separator: UInt8(ascii: ":")) }

    /// Twelve lowercase hex digits, no separators (`0c383e07e16c`).
    public var compact: String { text(separator: nil) }

    /// Lowercase hex, written straight into the string's storage (these
    /// are made for every lease row and every fetch event).
    private func text(separator: UInt8?) -> String {
        let count = separator == nil ? 12 : 17
        return String(unsafeUninitializedCapacity: count) { buffer in
            var i = 0
            for octet in 0..<6 {
                if octet > 0, let separator {
                    buffer[i] = separator
                    i += 1
                }
                let b = UInt8(truncatingIfNeeded: value >> (40 - 8 * UInt64(octet)))
                buffer[i] = Self.hexDigits[Int(b >> 4)]
                buffer[i + 1] = Self.hexDigits[Int(b & 0xF)]
                i += 2
            }
            return count
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    public static func < (lhs: MACAddress, rhs: MACAddress) -> Bool { lhs.value < rhs.value }


    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let mac = MACAddress(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a MAC address like 0c:38:3e:07:e1:6c, got \"\(text)\"")
        }
        self = mac
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The one definition of what an inventory or template value may contain,
/// for every output format autoprov writes: sysConf XML, dot-key text
/// (config files and the `key = value` items pushed to `POST /xmlService`)
/// and plain text.
///
/// A value is one item's text, so it may not hold anything that Swift
/// (`Character.isNewline`), libxml2, a line-based parser on the phone or a
/// person reading the admin UI would take as a break or as hidden structure.
/// Refused, by scalar:
///
/// - General_Category Cc: C0 controls U+0000-U+001F (TAB, LF, VT, FF, CR
///   among them), DEL U+007F and C1 controls U+0080-U+009F (NEL U+0085 among
///   them). XML 1.0 cannot carry most of them at all, and the rest are breaks.
/// - Zl U+2028 (LINE SEPARATOR) and Zp U+2029 (PARAGRAPH SEPARATOR): Swift,
///   JavaScript and XML 1.1 treat them as line ends.
/// - U+FEFF (byte order mark) and the bidi embedding, override and isolate
///   controls U+202A-U+202E, U+2066-U+2069: invisible, they make a value read
///   differently from what it is ("Trojan Source"); no display name needs
///   them (the marks U+200E/U+200F stay allowed).
/// - U+FFFE and U+FFFF: not characters in XML 1.0 (libxml2 refuses the file).
///
/// No format gets an escape instead: an XML character reference (`&#x2028;`)
/// is decoded by the phone into the same break before it stores the value in
/// its own line-based configuration, and dot-key text has no escape at all.
/// So a value with one of these is refused at input and fails rendering.
public enum ValueSafety {
    /// Why a scalar may not appear in a value. Describes the scalar (its code
    /// point), never the value around it, which may be a password.
    public enum Violation: Error, Equatable, Sendable, CustomStringConvertible {
        case controlCharacter(Unicode.Scalar)
        case lineSeparator(Unicode.Scalar)
        case invisibleFormatting(Unicode.Scalar)
        case notAnXMLCharacter(Unicode.Scalar)

        public var scalar: Unicode.Scalar {
            switch self {
            case .controlCharacter(let s), .lineSeparator(let s), .invisibleFormatting(let s), .notAnXMLCharacter(let s): s
            }
        }

        public var description: String {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            return switch self {
            case .controlCharacter: "contains a control character (\(code)), which would break a config line"
            case .lineSeparator: "contains a line or paragraph separator (\(code)), which would break a config line"
            case .invisibleFormatting: "contains an invisible formatting character (\(code))"
            case .notAnXMLCharacter: "contains \(code), which XML cannot carry"
            }
        }
    }

    /// Why `scalar` may not appear in a value, or nil when it may.
    @inlinable
    public static func violation(_ scalar: Unicode.Scalar) -> Violation? {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: .controlCharacter(scalar)
        case 0x2028, 0x2029: .lineSeparator(scalar)
        case 0xFEFF, 0x202A...0x202E, 0x2066...0x2069: .invisibleFormatting(scalar)
        case 0xFFFE, 0xFFFF: .notAnXMLCharacter(scalar)
        default: nil
        }
    }

    @inlinable
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        violation(scalar) == nil
    }

    /// The first scalar of `value` that may not appear in it, or nil.
    public static func firstViolation(in value: some StringProtocol) -> Violation? {
        for scalar in value.unicodeScalars {
            if let violation = violation(scalar) { return violation }
        }
        return nil
    }

    /// Throws the first violation in `value`.
    public static func check(_ value: some StringProtocol) throws(Violation) {
        if let violation = firstViolation(in: value) { throw violation }
    }
}

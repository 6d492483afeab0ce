import SafeText
import Testing

@Suite struct ValueSafetyTests {
    /// Every scalar: refused exactly when it is Cc, Zl, Zp, or one of the
    /// listed invisible or non-XML scalars.
    @Test func theDefinitionIsCcZlZpAndTheListedFormattingScalars() {
        let listed: Set<UInt32> = [0xFEFF, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0xFFFE, 0xFFFF]
        var mismatches: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let category = scalar.properties.generalCategory
            let expected = category == .control || category == .lineSeparator || category == .paragraphSeparator
                || listed.contains(value)
            if ValueSafety.isAllowed(scalar) == expected { mismatches.append(value) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10).map { String($0, radix: 16) })")
    }

    @Test func everyScalarSwiftCallsANewlineIsRefused() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value), Character(scalar).isNewline else { continue }
            #expect(!ValueSafety.isAllowed(scalar), "U+\(String(value, radix: 16))")
        }
    }

    @Test(arguments: [
        ("Desk 2\u{2028}sip.line.2.RegisterAddr = 6.6.6.6", "line or paragraph separator (U+2028)"),
        ("a\u{85}b", "control character (U+0085)"),
        ("a\u{0B}b", "control character (U+000B)"),
        ("a\u{0C}b", "control character (U+000C)"),
        ("a\u{2029}b", "U+2029"),
        ("\u{202E}txt.exe", "invisible formatting character (U+202E)"),
        ("\u{FEFF}x", "U+FEFF"),
        ("x\u{FFFF}", "U+FFFF, which XML cannot carry"),
    ])
    func violationsNameTheCharacterNeverTheValue(value: String, message: String) {
        let violation = ValueSafety.firstViolation(in: value)
        #expect(violation?.description.contains(message) == true, "\(String(describing: violation))")
        #expect(violation?.description.contains("Desk") == false && violation?.description.contains("txt") == false)
    }

    @Test(arguments: ["Desk 2", "Müller, Zürich", "日本語 📞", "a=b <c> & 'd' \"e\"", "\u{200F}עברית", "=cmd|' /C calc'!A0", ""])
    func ordinaryTextIsAllowed(value: String) {
        #expect(ValueSafety.firstViolation(in: value) == nil)
    }
}

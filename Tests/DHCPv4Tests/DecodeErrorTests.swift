import Testing
@testable import DHCPv4

/// One malformed datagram and the exact error it must produce.
struct MalformedCase: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let error: DHCPDecodeError
    var testDescription: String { name }
}

@Suite("Decoding malformed input throws the exact typed error")
struct DecodeErrorTests {
    static let cases: [MalformedCase] = [
        MalformedCase(
            name: "empty input",
            bytes: [],
            error: .truncated(field: "op", needed: 1, available: 0)),
        MalformedCase(
            name: "header cut inside xid",
            bytes: Array(Fixtures.discover.prefix(6)),
            error: .truncated(field: "xid", needed: 4, available: 2)),
        MalformedCase(
            name: "header cut inside sname",
            bytes: Array(Fixtures.discover.prefix(100)),
            error: .truncated(field: "sname", needed: 64, available: 56)),
        MalformedCase(
            name: "header cut inside file",
            bytes: Array(Fixtures.discover.prefix(200)),
            error: .truncated(field: "file", needed: 128, available: 92)),
        MalformedCase(
            name: "header without magic cookie",
            bytes: Array(Fixtures.discover.prefix(236)),
            error: .truncated(field: "magic cookie", needed: 4, available: 0)),
        MalformedCase(
            name: "magic cookie cut short",
            bytes: Array(Fixtures.discover.prefix(238)),
            error: .truncated(field: "magic cookie", needed: 4, available: 2)),
        MalformedCase(
            name: "bad magic cookie",
            bytes: Array(Fixtures.discover.prefix(236)) + [0x63, 0x82, 0x53, 0x64] + [255],
            error: .badMagicCookie(0x6382_5364)),
        MalformedCase(
            name: "BOOTP vendor area instead of a cookie",
            bytes: Array(Fixtures.discover.prefix(236)) + [0, 0, 0, 0],
            error: .badMagicCookie(0)),
        MalformedCase(
            name: "hlen 17",
            bytes: Fixtures.header(hlen: 17) + [255],
            error: .hardwareAddressTooLong(17)),
        MalformedCase(
            name: "hlen 255",
            bytes: Fixtures.header(hlen: 255),
            error: .hardwareAddressTooLong(255)),
        MalformedCase(
            name: "option length past the end",
            bytes: Fixtures.header() + [53, 5, 1],      // 53 claims 5 bytes, 1 present
            error: .optionPastEnd(code: 53, length: 5, available: 1)),
        MalformedCase(
            name: "option code without a length byte",
            bytes: Fixtures.header() + [61],            // 61, then nothing
            error: .optionPastEnd(code: 61, length: 1, available: 0)),
        MalformedCase(
            name: "option in file running past the end of file",
            bytes: overloadedFile(endingWith: [12, 9, 0x61]) + [52, 1, 1, 255],
            error: .optionPastEnd(code: 12, length: 9, available: 1)),
        MalformedCase(
            name: "overload value 0",
            bytes: Fixtures.header() + [52, 1, 0, 255],
            error: .invalidOverload([0])),
        MalformedCase(
            name: "overload value 4",
            bytes: Fixtures.header() + [52, 1, 4, 255],
            error: .invalidOverload([4])),
        MalformedCase(
            name: "overload of 2 bytes",
            bytes: Fixtures.header() + [52, 2, 1, 2, 255],
            error: .invalidOverload([1, 2])),
        MalformedCase(
            name: "overload repeated (concatenated to 2 bytes)",
            bytes: Fixtures.header() + [52, 1, 1, 52, 1, 2, 255],
            error: .invalidOverload([1, 2])),
        MalformedCase(
            name: "overload empty",
            bytes: Fixtures.header() + [52, 0, 255],
            error: .invalidOverload([])),
        MalformedCase(
            name: "op code 3",
            bytes: Fixtures.header(op: 3) + [255],
            error: .badOpCode(3)),
        MalformedCase(
            name: "op code 0",
            bytes: [0],
            error: .badOpCode(0)),
    ]

    /// A 240-byte header whose `file` field ends with `tail`.
    static func overloadedFile(endingWith tail: [UInt8]) -> [UInt8] {
        var p = Fixtures.header()
        let fileEnd = 236
        p.replaceSubrange((fileEnd - tail.count)..<fileEnd, with: tail)
        return p
    }

    @Test(arguments: cases)
    func throwsExactError(_ c: MalformedCase) {
        #expect(throws: c.error) { try DHCPMessage.decode(c.bytes) }
    }

    @Test("Every prefix of a valid message either decodes or throws truncated/past-end")
    func everyPrefix() {
        let full = Fixtures.relayedRequest
        for length in 0...full.count {
            let prefix = Array(full.prefix(length))
            do throws(DHCPDecodeError) {
                _ = try DHCPMessage.decode(prefix)
                #expect(length >= 240, "decoded a \(length)-byte prefix")
            } catch {
                switch error {
                case .truncated: #expect(length < 240)
                case .optionPastEnd: #expect(length > 240)
                default: Issue.record("unexpected \(error) at length \(length)")
                }
            }
        }
    }

    static let reasons: [(DHCPDecodeError, String)] = [
        (.truncated(field: "op", needed: 1, available: 0), "truncated"),
        (.badMagicCookie(0), "bad_magic_cookie"),
        (.hardwareAddressTooLong(17), "hlen_too_long"),
        (.optionPastEnd(code: 53, length: 5, available: 1), "option_past_end"),
        (.invalidOverload([4]), "invalid_overload"),
        (.badOpCode(3), "bad_op_code"),
        (.overloadInsideField("file"), "overload_loop"),
    ]

    @Test("Each error has a stable metric label", arguments: reasons)
    func reason(_ error: DHCPDecodeError, _ label: String) {
        #expect(error.reason == label)
    }

    @Test("Descriptions say what was wanted and what was got")
    func descriptions() {
        #expect(DHCPDecodeError.truncated(field: "sname", needed: 64, available: 56).description
            == "truncated sname: needed 64 bytes, 56 available")
        #expect(DHCPDecodeError.badMagicCookie(0x6382_5364).description
            == "bad magic cookie 0x63825364, wanted 0x63825363")
        #expect(DHCPDecodeError.hardwareAddressTooLong(17).description
            == "hlen 17 is longer than the 16-byte chaddr field")
        #expect(DHCPDecodeError.optionPastEnd(code: 53, length: 5, available: 1).description
            == "option 53 declares 5 bytes, only 1 left")
        #expect(DHCPDecodeError.invalidOverload([4]).description
            == "option 52 (overload) must be one byte 1, 2 or 3, got [4]")
        #expect(DHCPDecodeError.badOpCode(3).description
            == "op 3 is neither BOOTREQUEST (1) nor BOOTREPLY (2)")
        #expect(DHCPDecodeError.overloadInsideField("sname").description
            == "option 52 (overload) inside the overloaded sname field; it is allowed only in the options field")
    }
}

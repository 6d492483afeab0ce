import Testing
@testable import DHCPv4

/// A named option code with a typical value for it.
struct NamedOption: Sendable, CustomTestStringConvertible {
    let name: String
    let code: OptionCode
    let rawValue: UInt8
    let value: [UInt8]
    var testDescription: String { "\(rawValue) \(name)" }
}

@Suite("Every named option code round-trips")
struct OptionRoundTripTests {
    /// Every named code in `OptionCode.swift` except Pad, End and Overload,
    /// which are framing rather than data (tested below).
    static let named: [NamedOption] = [
        NamedOption(name: "subnetMask", code: .subnetMask, rawValue: 1, value: [255, 255, 255, 0]),
        NamedOption(name: "router", code: .router, rawValue: 3, value: [192, 0, 2, 1, 192, 0, 2, 2]),
        NamedOption(name: "domainNameServer", code: .domainNameServer, rawValue: 6, value: [9, 9, 9, 9]),
        NamedOption(name: "hostName", code: .hostName, rawValue: 12, value: Array("X6U".utf8)),
        NamedOption(name: "domainName", code: .domainName, rawValue: 15, value: Array("example.lan".utf8)),
        NamedOption(name: "broadcastAddress", code: .broadcastAddress, rawValue: 28, value: [192, 0, 2, 255]),
        NamedOption(name: "ntpServers", code: .ntpServers, rawValue: 42, value: [192, 0, 2, 123]),
        NamedOption(name: "vendorSpecific", code: .vendorSpecific, rawValue: 43, value: Array("http://p.lan/".utf8)),
        NamedOption(name: "requestedIPAddress", code: .requestedIPAddress, rawValue: 50, value: [10, 20, 30, 100]),
        NamedOption(name: "leaseTime", code: .leaseTime, rawValue: 51, value: [0, 1, 0x51, 0x80]),
        NamedOption(name: "messageType", code: .messageType, rawValue: 53, value: [5]),
        NamedOption(name: "serverIdentifier", code: .serverIdentifier, rawValue: 54, value: [10, 0, 0, 1]),
        NamedOption(name: "parameterRequestList", code: .parameterRequestList, rawValue: 55,
                    value: [1, 28, 3, 2, 4, 43, 6, 66]),
        NamedOption(name: "message", code: .message, rawValue: 56, value: Array("address in use".utf8)),
        NamedOption(name: "maxMessageSize", code: .maxMessageSize, rawValue: 57, value: [0x05, 0xdc]),
        NamedOption(name: "renewalTime", code: .renewalTime, rawValue: 58, value: [0, 0, 0x0e, 0x10]),
        NamedOption(name: "rebindingTime", code: .rebindingTime, rawValue: 59, value: [0, 0, 0x18, 0x9c]),
        NamedOption(name: "vendorClassIdentifier", code: .vendorClassIdentifier, rawValue: 60,
                    value: Array("Fanvil X6U".utf8)),
        NamedOption(name: "clientIdentifier", code: .clientIdentifier, rawValue: 61,
                    value: [1, 0x0c, 0x38, 0x3e, 0x07, 0xe1, 0x6c]),
        NamedOption(name: "tftpServerName", code: .tftpServerName, rawValue: 66,
                    value: Array("http://192.0.2.1:8080/".utf8)),
        NamedOption(name: "bootfileName", code: .bootfileName, rawValue: 67, value: Array("0c383e07e16c.cfg".utf8)),
        NamedOption(name: "relayAgentInformation", code: .relayAgentInformation, rawValue: 82,
                    value: Fixtures.relayAgentInformation),
    ]

    @Test("Encode then decode keeps the value", arguments: named)
    func roundTrip(_ option: NamedOption) throws {
        #expect(option.code.rawValue == option.rawValue)
        #expect(option.code == OptionCode(option.rawValue))
        #expect(option.code.description == String(option.rawValue))

        var m = DHCPMessage(op: .bootRequest, xid: 0x1234)
        m.options[option.code] = option.value
        let e = m.encode()
        // The option is the only one: code, length, value, End, at offset 240.
        #expect(Array(e[240..<(242 + option.value.count)])
            == [option.rawValue, UInt8(option.value.count)] + option.value)
        #expect(e[242 + option.value.count] == 255)

        let back = try DHCPMessage.decode(e)
        #expect(back.options[option.code] == option.value)
        #expect(back == m)
        #expect(back.encode() == e)
    }

    @Test("Pad and End are framing: never stored, never encoded")
    func padAndEnd() throws {
        #expect(OptionCode.pad.rawValue == 0)
        #expect(OptionCode.end.rawValue == 255)
        let decoded = try DHCPMessage.decode(Fixtures.header() + [0, 0, 255])
        #expect(!decoded.options.contains(.pad))
        #expect(!decoded.options.contains(.end))
        #expect(decoded.options.isEmpty)
    }

    @Test("Overload (52) is consumed on decode, so the message re-encodes without it")
    func overload() throws {
        #expect(OptionCode.overload.rawValue == 52)
        let m = try DHCPMessage.decode(Fixtures.overloaded)
        #expect(!m.options.contains(.overload))
        let e = m.encode()
        #expect(!DHCPOptionsScan.codes(in: e).contains(52))
        #expect(try DHCPMessage.decode(e) == m)
    }

    @Test("Typed getters read what typed setters wrote")
    func typedAccessors() {
        var o = DHCPOptions()
        o.set(.subnetMask, ipv4: IPv4Address(255, 255, 255, 0))
        o.set(.router, ipv4List: [IPv4Address(192, 0, 2, 1), IPv4Address(192, 0, 2, 2)])
        o.set(.leaseTime, uint32: 86_400)
        o.set(.maxMessageSize, uint16: 1500)
        o.set(.hostName, string: "X6U")
        #expect(o[.subnetMask] == [255, 255, 255, 0])
        #expect(o.ipv4(.subnetMask) == IPv4Address("255.255.255.0"))
        #expect(o.ipv4List(.router) == [IPv4Address(192, 0, 2, 1), IPv4Address(192, 0, 2, 2)])
        #expect(o[.leaseTime] == [0, 1, 0x51, 0x80])
        #expect(o.uint32(.leaseTime) == 86_400)
        #expect(o[.maxMessageSize] == [0x05, 0xdc])
        #expect(o.uint16(.maxMessageSize) == 1500)
        #expect(o.string(.hostName) == "X6U")
        // Wrong lengths read as nil / empty, never trap.
        #expect(o.ipv4(.router) == nil)
        #expect(o.uint16(.leaseTime) == nil)
        #expect(o.uint32(.maxMessageSize) == nil)
        o[.domainNameServer] = [1, 2, 3]
        #expect(o.ipv4List(.domainNameServer) == [])
        #expect(o.ipv4List(.ntpServers) == [])
    }

    @Test("string drops trailing NULs and decodes invalid UTF-8 lossily")
    func strings() {
        var o = DHCPOptions()
        o[.hostName] = Array("X6U".utf8) + [0, 0]
        o[.domainName] = [0x61, 0xff, 0x62]
        o[.message] = [0, 0]
        #expect(o.string(.hostName) == "X6U")
        #expect(o.string(.domainName) == "a\u{FFFD}b")
        #expect(o.string(.message) == "")
        #expect(o.string(.bootfileName) == nil)
    }

    @Test("append concatenates, subscript replaces, nil removes")
    func optionsEditing() {
        var o = DHCPOptions([(.vendorSpecific, [1]), (.hostName, [0x61]), (.vendorSpecific, [2, 3])])
        #expect(o.count == 2)
        #expect(o[.vendorSpecific] == [1, 2, 3])
        o[.vendorSpecific] = [9]
        #expect(o[.vendorSpecific] == [9])
        #expect(o.entries.map(\.code) == [.vendorSpecific, .hostName])
        o[.vendorSpecific] = nil
        #expect(!o.contains(.vendorSpecific))
        o.remove(.hostName)
        #expect(o.isEmpty)
        o.remove(.hostName)
        #expect(o.isEmpty)
    }

    @Test("Equality and hashing ignore insertion order")
    func equality() {
        let a = DHCPOptions([(.hostName, [1]), (.router, [2, 2, 2, 2])])
        let b = DHCPOptions([(.router, [2, 2, 2, 2]), (.hostName, [1])])
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != DHCPOptions([(.hostName, [1])]))
        #expect(a != DHCPOptions([(.hostName, [1]), (.router, [2, 2, 2, 3])]))
        #expect(a != DHCPOptions([(.hostName, [1]), (.domainNameServer, [2, 2, 2, 2])]))
    }
}

/// Walks the options area of an encoded message and lists the codes seen.
enum DHCPOptionsScan {
    static func codes(in bytes: [UInt8]) -> [UInt8] {
        var codes: [UInt8] = []
        var i = 240
        while i < bytes.count {
            let code = bytes[i]
            if code == 0 { i += 1; continue }
            if code == 255 { break }
            codes.append(code)
            i += 2 + Int(bytes[i + 1])
        }
        return codes
    }
}

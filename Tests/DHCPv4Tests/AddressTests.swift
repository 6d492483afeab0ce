import Foundation
import Testing
@testable import DHCPv4

@Suite("MACAddress parsing and formatting")
struct MACAddressTests {
    static let fanvil = MACAddress(value: 0x0c38_3e07_e16c)

    @Test("Accepted text forms", arguments: [
        "0c:38:3e:07:e1:6c", "0C:38:3E:07:E1:6C", "0c-38-3e-07-e1-6c", "0c383e07e16c", "0C383E07E16C",
        "0c38.3e07.e16c",
    ])
    func valid(_ text: String) {
        #expect(MACAddress(text) == Self.fanvil)
    }

    @Test("Rejected text forms", arguments: [
        "", "0c:38:3e:07:e1", "0c:38:3e:07:e1:6c:00", "0c:38:3e:07:e1:6g", "0c383e07e16", "0c383e07e16c0",
        "0c 38 3e 07 e1 6c", " 0c:38:3e:07:e1:6c", "0c:38:3e:07:e1:6c ", "0c:38:3e:07:e1:6c:",
        "0c:38:3e-07:e1:6c", "0c3:83e:07e:16c", ":0c383e07e16c", "0c::383e07e16c", "0c:38:3e:07:e1:+6",
        "\u{FF10}c:38:3e:07:e1:6c", "zz:zz:zz:zz:zz:zz", "0c.38.3e.07.e1.6c", "0c38:3e07:e16c",
        "0c38.3e07-e16c", "0x0c383e07e16c",
    ])
    func invalid(_ text: String) {
        #expect(MACAddress(text) == nil)
    }

    @Test("description, compact, oui and bytes")
    func formatting() {
        let mac = Self.fanvil
        #expect(mac.description == "0c:38:3e:07:e1:6c")
        #expect(mac.compact == "0c383e07e16c")
        #expect(mac.oui == 0x0c383e)
        #expect(mac.bytes == [0x0c, 0x38, 0x3e, 0x07, 0xe1, 0x6c])
        #expect(MACAddress("0C:38:3E:07:E1:6C")?.description == "0c:38:3e:07:e1:6c")
        #expect(MACAddress(value: 0).description == "00:00:00:00:00:00")
        #expect(MACAddress(value: 0xffff_ffff_ffff).compact == "ffffffffffff")
        #expect(MACAddress(value: 0xffff_ffff_ffff).oui == 0xffffff)
    }

    @Test("LosslessStringConvertible round trip")
    func textRoundTrip() {
        for value: UInt64 in [0, 1, 0x0c38_3e07_e16c, 0xffff_ffff_ffff, 0x0102_0304_0506] {
            let mac = MACAddress(value: value)
            #expect(MACAddress(mac.description) == mac)
            #expect(MACAddress(mac.compact) == mac)
        }
    }

    @Test("init(bytes:) wants exactly six bytes; init(value:) keeps the low 48 bits")
    func construction() {
        #expect(MACAddress(bytes: [0x0c, 0x38, 0x3e, 0x07, 0xe1, 0x6c]) == Self.fanvil)
        #expect(MACAddress(bytes: [0x0c, 0x38, 0x3e, 0x07, 0xe1]) == nil)
        #expect(MACAddress(bytes: [0x0c, 0x38, 0x3e, 0x07, 0xe1, 0x6c, 0]) == nil)
        #expect(MACAddress(bytes: []) == nil)
        #expect(MACAddress(value: 0xffff_0c38_3e07_e16c) == Self.fanvil)
    }

    @Test("Ordering follows the numeric value")
    func ordering() {
        #expect(MACAddress("00:00:00:00:00:01")! < MACAddress("00:00:00:00:01:00")!)
        #expect(!(Self.fanvil < Self.fanvil))
    }

    @Test("Codable as its colon form; bad text names what was expected")
    func codable() throws {
        let data = try JSONEncoder().encode([Self.fanvil])
        #expect(String(decoding: data, as: UTF8.self) == #"["0c:38:3e:07:e1:6c"]"#)
        #expect(try JSONDecoder().decode([MACAddress].self, from: Data(#"["0C-38-3E-07-E1-6C"]"#.utf8)) == [Self.fanvil])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([MACAddress].self, from: Data(#"["0c:38"]"#.utf8))
        }
    }
}

@Suite("IPv4Address parsing and formatting")
struct IPv4AddressTests {
    @Test("Accepted dotted quads", arguments: [
        ("0.0.0.0", UInt32(0)), ("255.255.255.255", 0xffff_ffff), ("192.0.2.1", 0xc000_0201),
        ("10.20.30.100", 0x0a14_1e64), ("1.2.3.4", 0x0102_0304), ("100.0.10.0", 0x6400_0a00),
    ])
    func valid(_ text: String, _ value: UInt32) {
        let address = IPv4Address(text)
        #expect(address?.value == value)
        #expect(address?.description == text)
    }

    @Test("Rejected text", arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.256", "1..2.3", "1.2.3.", ".1.2.3", "a.b.c.d",
        " 1.2.3.4", "1.2.3.4 ", "1.2.3.4\n", "+1.2.3.4", "1.2.3.+4", "1.2.3.-0", "0x1.2.3.4", "1234.1.1.1",
        "01.2.3.4", "1.2.3.010", "1.2.3.00", "\u{FF11}.2.3.4", "1,2,3,4", "16909060",
    ])
    func invalid(_ text: String) {
        #expect(IPv4Address(text) == nil)
    }

    @Test("Octets, bytes and constants")
    func octets() {
        let a = IPv4Address(192, 0, 2, 1)
        #expect(a.value == 0xc000_0201)
        #expect(a.bytes == [192, 0, 2, 1])
        #expect(a == IPv4Address(0xc000_0201))
        #expect(a.description == "192.0.2.1")
        #expect(IPv4Address.any.isUnspecified)
        #expect(IPv4Address.any.description == "0.0.0.0")
        #expect(IPv4Address.broadcast.description == "255.255.255.255")
        #expect(!IPv4Address.broadcast.isUnspecified)
    }

    @Test("Ordering follows the numeric value, so pools can be ranges")
    func ordering() {
        let low = IPv4Address(10, 0, 0, 255)
        let high = IPv4Address(10, 0, 1, 0)
        #expect(low < high)
        #expect((low...high).contains(IPv4Address(10, 0, 0, 255)))
        #expect(!(low...high).contains(IPv4Address(10, 0, 1, 1)))
    }

    @Test("Codable as dotted-quad text")
    func codable() throws {
        let data = try JSONEncoder().encode([IPv4Address(192, 0, 2, 1)])
        #expect(String(decoding: data, as: UTF8.self) == #"["192.0.2.1"]"#)
        #expect(try JSONDecoder().decode([IPv4Address].self, from: data) == [IPv4Address(192, 0, 2, 1)])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([IPv4Address].self, from: Data(#"["192.0.2"]"#.utf8))
        }
    }
}

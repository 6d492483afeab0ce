import Testing
@testable import DHCPv4

@Suite("Encoding is deterministic and lossless")
struct EncodeTests {
    /// The options area of an encoded message: everything after the cookie.
    static func optionsArea(_ bytes: [UInt8]) -> [UInt8] { Array(bytes.dropFirst(240)) }

    @Test("Header fields are written in RFC 2131 order, big-endian")
    func header() {
        var m = DHCPMessage(op: .bootReply, xid: 0x0102_0304)
        m.hops = 2
        m.secs = 0x0506
        m.flags = DHCPMessage.broadcastFlag
        m.ciaddr = IPv4Address(10, 0, 0, 1)
        m.yiaddr = IPv4Address(10, 0, 0, 2)
        m.siaddr = IPv4Address(10, 0, 0, 3)
        m.giaddr = IPv4Address(10, 0, 0, 4)
        m.clientMAC = MACAddress("0c:38:3e:07:e1:6c")
        m.sname = Array("srv".utf8)                 // shorter than 64: zero filled
        m.file = Array("boot".utf8)                 // shorter than 128: zero filled
        let e = m.encode()
        #expect(Array(e[0..<4]) == [2, 1, 6, 2])                      // op, htype, hlen, hops
        #expect(Array(e[4..<8]) == [1, 2, 3, 4])                      // xid
        #expect(Array(e[8..<12]) == [5, 6, 0x80, 0])                  // secs, flags
        #expect(Array(e[12..<28]) == [10, 0, 0, 1, 10, 0, 0, 2, 10, 0, 0, 3, 10, 0, 0, 4])
        #expect(Array(e[28..<44]) == [0x0c, 0x38, 0x3e, 0x07, 0xe1, 0x6c] + Fixtures.zeros(10))
        #expect(Array(e[44..<108]) == Array("srv".utf8) + Fixtures.zeros(61))
        #expect(Array(e[108..<236]) == Array("boot".utf8) + Fixtures.zeros(124))
        #expect(Array(e[236..<240]) == Fixtures.cookie)
        #expect(e[240] == 255)
        #expect(e.count == 300)
    }

    @Test("Options are sorted ascending, 82 last, then End, padded to 300 bytes")
    func ordering() {
        var m = DHCPMessage(op: .bootReply, xid: 1)
        m.options[.relayAgentInformation] = [1, 1, 7]
        m.options[.tftpServerName] = Array("http://p/".utf8)
        m.options[OptionCode(224)] = [9]
        m.options[.messageType] = [MessageType.offer.rawValue]
        m.options[.subnetMask] = [255, 255, 255, 0]
        m.options[.serverIdentifier] = [10, 0, 0, 1]
        let e = m.encode()
        var expected: [UInt8] = []
        expected += [1, 4, 255, 255, 255, 0]        // 1 subnet mask
        expected += [53, 1, 2]                      // 53 OFFER
        expected += [54, 4, 10, 0, 0, 1]            // 54 server identifier
        expected += [66, 9] + Array("http://p/".utf8)  // 66 TFTP server name
        expected += [224, 1, 9]                     // 224 private use
        expected += [82, 3, 1, 1, 7]                // 82 relay agent information, last
        expected += [255]                           // End
        #expect(e.count == 300)
        #expect(Self.optionsArea(e) == expected + Fixtures.zeros(60 - expected.count))
    }

    @Test("Encoding does not depend on the order options were set")
    func orderIndependence() {
        var a = DHCPMessage(op: .bootRequest, xid: 7)
        a.options[.hostName] = [0x61]
        a.options[.relayAgentInformation] = [2, 0]
        a.options[.messageType] = [1]
        var b = DHCPMessage(op: .bootRequest, xid: 7)
        b.options[.messageType] = [1]
        b.options[.relayAgentInformation] = [2, 0]
        b.options[.hostName] = [0x61]
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a.encode() == b.encode())
    }

    @Test("Canonical fixtures re-encode byte for byte", arguments: [
        ("relayed REQUEST", Fixtures.relayedRequest),
        ("unknown options 224 and 250", Fixtures.unknownOptions),
    ])
    func canonicalFixture(_ name: String, _ bytes: [UInt8]) throws {
        let m = try DHCPMessage.decode(bytes)
        #expect(m.encode() == bytes)
    }

    @Test("Unknown option codes 224 and 250 round-trip byte for byte")
    func unknownCodes() throws {
        var m = DHCPMessage(op: .bootRequest, xid: 3)
        m.options[OptionCode(250)] = [0xff, 0x00, 0xff]
        m.options[OptionCode(224)] = (0...255).map { UInt8($0) }.reversed()
        let e = m.encode()
        let back = try DHCPMessage.decode(e)
        #expect(back == m)
        #expect(back.options[OptionCode(224)] == m.options[OptionCode(224)])
        #expect(back.options[OptionCode(250)] == [0xff, 0x00, 0xff])
        #expect(back.encode() == e)
    }

    @Test("The DISCOVER fixture re-encodes in canonical order and decodes equal")
    func discoverCanonical() throws {
        let m = try DHCPMessage.decode(Fixtures.discover)
        let e = m.encode()
        #expect(e.count == 300)
        #expect(Array(e.prefix(240)) == Array(Fixtures.discover.prefix(240)))
        var expected: [UInt8] = []
        expected += [12, 3, 0x58, 0x36, 0x55]
        expected += [53, 1, 1]
        expected += [55, 8, 1, 28, 3, 2, 4, 43, 6, 66]
        expected += [57, 2, 0x02, 0x40]
        expected += [60, 10] + Array("Fanvil X6U".utf8)
        expected += [61, 7, 0x01, 0x0c, 0x38, 0x3e, 0x07, 0xe1, 0x6c]
        expected += [255]
        #expect(Self.optionsArea(e) == expected + Fixtures.zeros(60 - expected.count))
        #expect(try DHCPMessage.decode(e) == m)
    }

    @Test("Values longer than 255 bytes are split into 255-byte chunks", arguments: [256, 300, 510, 511, 600, 1000])
    func splitLongValues(_ length: Int) throws {
        let value = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var m = DHCPMessage(op: .bootReply, xid: 9)
        m.options[.vendorSpecific] = value
        let e = m.encode()

        var expected: [UInt8] = []
        var offset = 0
        while offset < length {
            let chunk = min(255, length - offset)
            expected += [43, UInt8(chunk)] + value[offset..<(offset + chunk)]
            offset += chunk
        }
        expected += [255]
        #expect(Self.optionsArea(e) == expected)
        #expect(e.count == 240 + expected.count)
        #expect(try DHCPMessage.decode(e).options[.vendorSpecific] == value)
    }

    @Test("The split fixture re-encodes as 255 + 45 adjacent chunks")
    func splitFixture() throws {
        let m = try DHCPMessage.decode(Fixtures.splitOption)
        let area = Self.optionsArea(m.encode())
        var expected: [UInt8] = [43, 255] + Array(repeating: 0x41, count: 255)
        expected += [43, 45] + Array(repeating: 0x42, count: 45)
        expected += [53, 1, 5, 54, 4, 192, 0, 2, 1, 255]
        #expect(area == expected)
    }

    @Test("A value of exactly 255 bytes is one instance; an empty value is code, 0")
    func boundaryLengths() {
        var m = DHCPMessage(op: .bootRequest, xid: 1)
        m.options[.clientIdentifier] = Array(repeating: 0xab, count: 255)
        m.options[.hostName] = []
        let area = Self.optionsArea(m.encode())
        #expect(Array(area.prefix(4)) == [12, 0, 61, 255])
        #expect(area[4 + 255] == 255)
        #expect(area.count == 4 + 255 + 1)
    }

    @Test("Pad (0) and End (255) entries are never written as options")
    func padAndEndSkipped() {
        var m = DHCPMessage(op: .bootRequest, xid: 1)
        m.options[.pad] = [1, 2]
        m.options[.end] = [3]
        m.options[.messageType] = [1]
        let area = Self.optionsArea(m.encode())
        #expect(area == [53, 1, 1, 255] + Fixtures.zeros(56))
    }

    @Test("No options: cookie, End, padding")
    func noOptions() {
        let e = DHCPMessage(op: .bootRequest, xid: 1).encode()
        #expect(e.count == DHCPMessage.minimumSize)
        #expect(Self.optionsArea(e) == [255] + Fixtures.zeros(59))
    }

    @Test("encode(into:) appends and pads relative to where it started")
    func encodeInto() {
        let m = DHCPMessage(op: .bootRequest, xid: 1)
        var out: [UInt8] = [0xaa, 0xbb]
        m.encode(into: &out)
        #expect(out.count == 2 + 300)
        #expect(Array(out.prefix(2)) == [0xaa, 0xbb])
        #expect(Array(out.dropFirst(2)) == m.encode())
    }

    @Test("Over-long chaddr, sname and file are cut to their field size")
    func overlongFixedFields() {
        var m = DHCPMessage(op: .bootRequest, xid: 1)
        m.chaddr = Array(repeating: 1, count: 20)
        m.sname = Array(repeating: 2, count: 70)
        m.file = Array(repeating: 3, count: 130)
        let e = m.encode()
        #expect(e.count == 300)
        #expect(Array(e[28..<44]) == Array(repeating: 1, count: 16))
        #expect(Array(e[44..<108]) == Array(repeating: 2, count: 64))
        #expect(Array(e[108..<236]) == Array(repeating: 3, count: 128))
        #expect(Array(e[236..<240]) == Fixtures.cookie)
    }
}

@Suite("Encoding never claims an overload it does not do")
struct EncodeOverloadTests {
    @Test("An Overload (52) entry set by hand is not written; sname and file stay plain")
    func strayOverloadSkipped() throws {
        var m = DHCPMessage(op: .bootReply, xid: 5)
        m.file = Array("0c383e07e16c.cfg".utf8)
        m.sname = Array("tftp.example".utf8)
        m.options[.overload] = [3]
        m.options[.messageType] = [MessageType.ack.rawValue]
        let e = m.encode()
        #expect(DHCPOptionsScan.codes(in: e) == [53])
        let back = try DHCPMessage.decode(e)
        #expect(Array(back.file.prefix(16)) == Array("0c383e07e16c.cfg".utf8))
        #expect(Array(back.sname.prefix(12)) == Array("tftp.example".utf8))
        #expect(back.options.entries.map(\.code) == [.messageType])
    }
}

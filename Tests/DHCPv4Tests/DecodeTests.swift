import Testing
@testable import DHCPv4

@Suite("Decoding the hand-written fixtures")
struct DecodeTests {
    @Test("udhcpc-style DISCOVER from a Fanvil X6U")
    func discover() throws {
        let m = try DHCPMessage.decode(Fixtures.discover)
        #expect(m.op == .bootRequest)
        #expect(m.htype == 1)
        #expect(m.hlen == 6)
        #expect(m.hops == 0)
        #expect(m.xid == 0x3903_f326)
        #expect(m.secs == 0)
        #expect(m.flags == 0)
        #expect(!m.broadcastRequested)
        #expect(m.ciaddr == .any)
        #expect(m.yiaddr == .any)
        #expect(m.siaddr == .any)
        #expect(m.giaddr == .any)
        #expect(m.chaddr == [0x0c, 0x38, 0x3e, 0x07, 0xe1, 0x6c] + Fixtures.zeros(10))
        #expect(m.clientMAC == MACAddress("0c:38:3e:07:e1:6c"))
        #expect(m.sname == Fixtures.zeros(64))
        #expect(m.file == Fixtures.zeros(128))

        #expect(m.options.count == 6)
        #expect(m.options.entries.map(\.code.rawValue) == [53, 61, 57, 55, 60, 12])
        #expect(m.messageType == .discover)
        #expect(m.clientIdentifier == [0x01, 0x0c, 0x38, 0x3e, 0x07, 0xe1, 0x6c])
        #expect(m.maxMessageSize == 576)
        #expect(m.parameterRequestList == [
            .subnetMask, .broadcastAddress, .router, OptionCode(2), OptionCode(4),
            .vendorSpecific, .domainNameServer, .tftpServerName,
        ])
        #expect(m.vendorClassIdentifier == "Fanvil X6U")
        #expect(m.hostName == "X6U")
        #expect(m.requestedIPAddress == nil)
        #expect(m.serverIdentifier == nil)
        #expect(m.relayAgentInformation == nil)
    }

    @Test("REQUEST forwarded by a relay, with option 82")
    func relayedRequest() throws {
        let m = try DHCPMessage.decode(Fixtures.relayedRequest)
        #expect(m.op == .bootRequest)
        #expect(m.htype == 1)
        #expect(m.hlen == 6)
        #expect(m.hops == 1)
        #expect(m.xid == 0x5a0e_7c11)
        #expect(m.secs == 4)
        #expect(m.flags == 0x8000)
        #expect(m.broadcastRequested)
        #expect(m.ciaddr == .any)
        #expect(m.yiaddr == .any)
        #expect(m.siaddr == .any)
        #expect(m.giaddr == IPv4Address(10, 20, 30, 1))
        #expect(m.clientMAC == MACAddress("0c:38:3e:11:22:33"))

        #expect(m.options.entries.map(\.code.rawValue) == [50, 53, 54, 55, 61, 82])
        #expect(m.messageType == .request)
        #expect(m.requestedIPAddress == IPv4Address("10.20.30.100"))
        #expect(m.serverIdentifier == IPv4Address("10.0.0.1"))
        #expect(m.parameterRequestList == [.subnetMask, .router, .domainNameServer, .tftpServerName])
        #expect(m.clientIdentifier == [0x01, 0x0c, 0x38, 0x3e, 0x11, 0x22, 0x33])
        #expect(m.relayAgentInformation == Fixtures.relayAgentInformation)
    }

    @Test("Relay agent sub-options are carried verbatim: circuit-id then remote-id")
    func relayAgentSubOptions() throws {
        let m = try DHCPMessage.decode(Fixtures.relayedRequest)
        let value = try #require(m.relayAgentInformation)
        #expect(value.count == 14)
        #expect(Array(value[0..<2]) == [1, 4])
        #expect(Array(value[2..<6]) == [0x00, 0x14, 0x00, 0x03])
        #expect(Array(value[6..<8]) == [2, 6])
        #expect(MACAddress(bytes: value[8..<14]) == MACAddress("00:1a:2b:3c:4d:5e"))
    }

    @Test("Option overload 52 = 3: options read from file, then sname; fields cleared")
    func overloaded() throws {
        let m = try DHCPMessage.decode(Fixtures.overloaded)
        #expect(m.op == .bootReply)
        #expect(m.xid == 0x0b0e_0f10)
        #expect(m.yiaddr == IPv4Address(192, 0, 2, 50))
        #expect(m.siaddr == IPv4Address(192, 0, 2, 1))
        #expect(m.clientMAC == MACAddress("0c:38:3e:07:e1:6c"))
        #expect(m.sname == Fixtures.zeros(64))
        #expect(m.file == Fixtures.zeros(128))

        #expect(!m.options.contains(.overload))
        // Options area first, then file, then sname (RFC 3396 §5).
        #expect(m.options.entries.map(\.code.rawValue) == [53, 54, 1, 15, 51, 3])
        #expect(m.messageType == .ack)
        #expect(m.serverIdentifier == IPv4Address(192, 0, 2, 1))
        #expect(m.options.ipv4(.subnetMask) == IPv4Address(255, 255, 255, 0))
        #expect(m.options.uint32(.leaseTime) == 3600)
        #expect(m.options.ipv4List(.router) == [IPv4Address(192, 0, 2, 1)])
        #expect(m.options.string(.domainName) == "example.lan")
    }

    @Test("Overload 52 = 1 reads file only and leaves sname untouched")
    func overloadFileOnly() throws {
        var p = Fixtures.header()
        p[108] = 12; p[109] = 2; p[110] = 0x61; p[111] = 0x62  // file: 12 host name "ab"
        p[112] = 255                                           // file: End
        p[44] = 0x74; p[45] = 0x66                             // sname: "tf", not options
        p += [52, 1, 1]                                        // 52 overload: file
        p += [255]                                             // End
        let m = try DHCPMessage.decode(p)
        #expect(m.hostName == "ab")
        #expect(m.file == Fixtures.zeros(128))
        #expect(Array(m.sname.prefix(2)) == [0x74, 0x66])
        #expect(!m.options.contains(.overload))
    }

    @Test("Overload 52 = 2 reads sname only and leaves file untouched")
    func overloadSnameOnly() throws {
        var p = Fixtures.header()
        p[44] = 66; p[45] = 1; p[46] = 0x78                    // sname: 66 TFTP server "x"
        p[108] = 0x62; p[109] = 0x6f                           // file: "bo", not options
        p += [52, 1, 2]                                        // 52 overload: sname
        p += [255]                                             // End
        let m = try DHCPMessage.decode(p)
        #expect(m.options.string(.tftpServerName) == "x")
        #expect(m.sname == Fixtures.zeros(64))
        #expect(Array(m.file.prefix(2)) == [0x62, 0x6f])
    }

    @Test("A long option split in two instances is concatenated (RFC 3396)")
    func splitOption() throws {
        let m = try DHCPMessage.decode(Fixtures.splitOption)
        #expect(m.op == .bootReply)
        #expect(m.xid == 0x3396)
        #expect(m.options.entries.map(\.code.rawValue) == [53, 43, 54])
        let value = try #require(m.options[.vendorSpecific])
        #expect(value.count == 300)
        #expect(value == Array(repeating: 0x41, count: 255) + Array(repeating: 0x42, count: 45))
        #expect(m.serverIdentifier == IPv4Address(192, 0, 2, 1))
    }

    @Test("Unknown option codes are kept byte for byte")
    func unknownOptions() throws {
        let m = try DHCPMessage.decode(Fixtures.unknownOptions)
        #expect(m.options[OptionCode(224)] == [0x01, 0x02, 0x03])
        #expect(m.options[OptionCode(250)] == [])
        #expect(m.messageType == .request)
    }

    @Test("Pad bytes between options are skipped; bytes after End are ignored")
    func padAndTrailingBytes() throws {
        var p = Fixtures.header()
        p += [0, 0, 53, 1, 1, 0]                    // Pad, Pad, 53 DISCOVER, Pad
        p += [255]                                  // End
        p += [12, 200, 0xff]                        // garbage after End: not read
        let m = try DHCPMessage.decode(p)
        #expect(m.options.count == 1)
        #expect(m.messageType == .discover)
    }

    @Test("A valid 255-byte option 61 decodes")
    func maximalClientIdentifier() throws {
        var p = Fixtures.header()
        p += [61, 255] + (0..<255).map { UInt8($0) }   // 61 client identifier: 00 01 ... fe
        p += [255]                                     // End
        let m = try DHCPMessage.decode(p)
        #expect(m.clientIdentifier == (0..<255).map { UInt8($0) })
    }

    @Test("A 240-byte message with no options and no End is accepted")
    func noOptionsNoEnd() throws {
        let p = Fixtures.header()
        #expect(p.count == 240)
        let m = try DHCPMessage.decode(p)
        #expect(m.options.isEmpty)
        #expect(m.xid == 0xdead_beef)
        #expect(m.messageType == nil)
    }

    @Test("Options without a final End are accepted")
    func optionsWithoutEnd() throws {
        let m = try DHCPMessage.decode(Fixtures.header() + [53, 1, 3])
        #expect(m.messageType == .request)
    }

    @Test("An option 52 met again inside file is refused, not followed")
    func overloadInsideFileIsRefused() throws {
        var p = Fixtures.header()
        let inFile: [UInt8] = [52, 1, 3, 12, 3, 0x61, 0x62, 0x63, 255]  // 52 overload 3, 12 "abc", End
        p.replaceSubrange(108..<(108 + inFile.count), with: inFile)
        let sname = Array("tftp.example".utf8)                           // sname: text, not options
        p.replaceSubrange(44..<(44 + sname.count), with: sname)
        p += [52, 1, 1]                                                  // 52 overload: file
        p += [255]                                                       // End
        #expect(throws: DHCPDecodeError.overloadInsideField("file")) { try DHCPMessage.decode(p) }
    }

    @Test("An option 52 in file pointing back at file is refused, not looped on")
    func overloadSelfReference() throws {
        var p = Fixtures.header()
        p.replaceSubrange(108..<112, with: [52, 1, 1, 255])  // file: 52 overload 1 (itself), End
        p += [52, 1, 1, 255]                                 // 52 overload: file; End
        #expect(throws: DHCPDecodeError.overloadInsideField("file")) { try DHCPMessage.decode(p) }
        var q = Fixtures.header()
        q.replaceSubrange(44..<48, with: [52, 1, 3, 255])    // sname: 52 overload 3, End
        q += [52, 1, 2, 255]                                 // 52 overload: sname; End
        #expect(throws: DHCPDecodeError.overloadInsideField("sname")) { try DHCPMessage.decode(q) }
    }
}

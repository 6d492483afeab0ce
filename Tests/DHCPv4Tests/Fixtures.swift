/// Hand-written DHCPv4 datagrams, commented field by field.
///
/// The same bytes are written as the fuzz seed corpus by `Fuzz/make-seeds.py`;
/// `FixtureCorpusTests` checks that both stay identical.
enum Fixtures {
    static func zeros(_ count: Int) -> [UInt8] { Array(repeating: 0, count: count) }

    /// Pads `bytes` with zeros up to the 300-byte BOOTP minimum.
    static func padded(_ bytes: [UInt8]) -> [UInt8] {
        bytes + zeros(max(0, 300 - bytes.count))
    }

    /// The 4-byte magic cookie 99.130.83.99 (RFC 2131 §3).
    static let cookie: [UInt8] = [0x63, 0x82, 0x53, 0x63]

    /// A fixed header with everything zero except op/hlen/xid and an
    /// Ethernet chaddr, followed by the magic cookie: 240 bytes, no options.
    static func header(op: UInt8 = 1, hlen: UInt8 = 6, xid: [UInt8] = [0xde, 0xad, 0xbe, 0xef]) -> [UInt8] {
        var p: [UInt8] = []
        p += [op]                                   // op
        p += [0x01]                                 // htype: Ethernet
        p += [hlen]                                 // hlen
        p += [0x00]                                 // hops: 0
        p += xid                                    // xid
        p += [0x00, 0x00]                           // secs: 0
        p += [0x00, 0x00]                           // flags: 0
        p += zeros(16)                              // ciaddr, yiaddr, siaddr, giaddr: 0.0.0.0
        p += [0x0c, 0x38, 0x3e, 0x07, 0xe1, 0x6c]   // chaddr: 0c:38:3e:07:e1:6c
        p += zeros(10)                              // chaddr padding
        p += zeros(64)                              // sname: empty
        p += zeros(128)                             // file: empty
        p += cookie                                 // magic cookie
        return p
    }

    /// A udhcpc-style DISCOVER from a Fanvil X6U (MAC 0c:38:3e:07:e1:6c):
    /// options in udhcpc's order (53, 61, 57, 55, 60, 12), End, zero padding.
    static let discover: [UInt8] = {
        var p: [UInt8] = []
        p += [0x01]                                 // op: BOOTREQUEST
        p += [0x01]                                 // htype: Ethernet
        p += [0x06]                                 // hlen: 6
        p += [0x00]                                 // hops: 0
        p += [0x39, 0x03, 0xf3, 0x26]               // xid: 0x3903f326
        p += [0x00, 0x00]                           // secs: 0
        p += [0x00, 0x00]                           // flags: unicast reply
        p += [0x00, 0x00, 0x00, 0x00]               // ciaddr: 0.0.0.0
        p += [0x00, 0x00, 0x00, 0x00]               // yiaddr: 0.0.0.0
        p += [0x00, 0x00, 0x00, 0x00]               // siaddr: 0.0.0.0
        p += [0x00, 0x00, 0x00, 0x00]               // giaddr: 0.0.0.0
        p += [0x0c, 0x38, 0x3e, 0x07, 0xe1, 0x6c]   // chaddr: 0c:38:3e:07:e1:6c
        p += zeros(10)                              // chaddr padding
        p += zeros(64)                              // sname: empty
        p += zeros(128)                             // file: empty
        p += cookie                                 // magic cookie
        p += [53, 1, 0x01]                          // 53 message type: DISCOVER
        p += [61, 7, 0x01,                          // 61 client identifier: type 1 (Ethernet)
              0x0c, 0x38, 0x3e, 0x07, 0xe1, 0x6c]   //    0c:38:3e:07:e1:6c
        p += [57, 2, 0x02, 0x40]                    // 57 max message size: 576
        p += [55, 8, 1, 28, 3, 2, 4, 43, 6, 66]     // 55 parameter request list
        p += [60, 10,                               // 60 vendor class identifier: "Fanvil X6U"
              0x46, 0x61, 0x6e, 0x76, 0x69, 0x6c,   //    "Fanvil"
              0x20, 0x58, 0x36, 0x55]               //    " X6U"
        p += [12, 3, 0x58, 0x36, 0x55]              // 12 host name: "X6U"
        p += [255]                                  // End
        return padded(p)                            // zero padding to 300 bytes
    }()

    /// A REQUEST forwarded by a relay at 10.20.30.1 with option 82, options
    /// already in canonical order (ascending, 82 last) so it re-encodes
    /// byte for byte.
    static let relayedRequest: [UInt8] = {
        var p: [UInt8] = []
        p += [0x01]                                 // op: BOOTREQUEST
        p += [0x01]                                 // htype: Ethernet
        p += [0x06]                                 // hlen: 6
        p += [0x01]                                 // hops: 1 (one relay)
        p += [0x5a, 0x0e, 0x7c, 0x11]               // xid: 0x5a0e7c11
        p += [0x00, 0x04]                           // secs: 4
        p += [0x80, 0x00]                           // flags: broadcast
        p += [0x00, 0x00, 0x00, 0x00]               // ciaddr: 0.0.0.0
        p += [0x00, 0x00, 0x00, 0x00]               // yiaddr: 0.0.0.0
        p += [0x00, 0x00, 0x00, 0x00]               // siaddr: 0.0.0.0
        p += [0x0a, 0x14, 0x1e, 0x01]               // giaddr: 10.20.30.1
        p += [0x0c, 0x38, 0x3e, 0x11, 0x22, 0x33]   // chaddr: 0c:38:3e:11:22:33
        p += zeros(10)                              // chaddr padding
        p += zeros(64)                              // sname: empty
        p += zeros(128)                             // file: empty
        p += cookie                                 // magic cookie
        p += [50, 4, 10, 20, 30, 100]               // 50 requested IP address: 10.20.30.100
        p += [53, 1, 0x03]                          // 53 message type: REQUEST
        p += [54, 4, 10, 0, 0, 1]                   // 54 server identifier: 10.0.0.1
        p += [55, 4, 1, 3, 6, 66]                   // 55 parameter request list
        p += [61, 7, 0x01,                          // 61 client identifier: type 1 (Ethernet)
              0x0c, 0x38, 0x3e, 0x11, 0x22, 0x33]   //    0c:38:3e:11:22:33
        p += [82, 14,                               // 82 relay agent information, 14 bytes:
              1, 4, 0x00, 0x14, 0x00, 0x03,         //    sub 1 circuit-id: VLAN 20, port 3
              2, 6, 0x00, 0x1a, 0x2b,               //    sub 2 remote-id: relay MAC
              0x3c, 0x4d, 0x5e]                     //    00:1a:2b:3c:4d:5e
        p += [255]                                  // End
        return padded(p)                            // zero padding to 300 bytes
    }()

    /// The 14-byte value of option 82 in `relayedRequest`.
    static let relayAgentInformation: [UInt8] = [
        1, 4, 0x00, 0x14, 0x00, 0x03,               // sub 1 circuit-id: VLAN 20, port 3
        2, 6, 0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e,   // sub 2 remote-id: 00:1a:2b:3c:4d:5e
    ]

    /// An ACK whose options overflow into `file` and `sname` (option 52 = 3).
    /// Option 15 is split: "example." in `file`, "lan" in `sname`, so the
    /// RFC 3396 order (options, file, sname) gives "example.lan".
    static let overloaded: [UInt8] = {
        var p: [UInt8] = []
        p += [0x02]                                 // op: BOOTREPLY
        p += [0x01]                                 // htype: Ethernet
        p += [0x06]                                 // hlen: 6
        p += [0x00]                                 // hops: 0
        p += [0x0b, 0x0e, 0x0f, 0x10]               // xid: 0x0b0e0f10
        p += [0x00, 0x00]                           // secs: 0
        p += [0x00, 0x00]                           // flags: unicast
        p += [0x00, 0x00, 0x00, 0x00]               // ciaddr: 0.0.0.0
        p += [192, 0, 2, 50]                        // yiaddr: 192.0.2.50
        p += [192, 0, 2, 1]                         // siaddr: 192.0.2.1
        p += [0x00, 0x00, 0x00, 0x00]               // giaddr: 0.0.0.0
        p += [0x0c, 0x38, 0x3e, 0x07, 0xe1, 0x6c]   // chaddr: 0c:38:3e:07:e1:6c
        p += zeros(10)                              // chaddr padding
        var sname: [UInt8] = []                     // sname (64 bytes) holds options:
        sname += [3, 4, 192, 0, 2, 1]               //    3 router: 192.0.2.1
        sname += [15, 3, 0x6c, 0x61, 0x6e]          //   15 domain name, part 2: "lan"
        sname += [255]                              //   End
        p += sname + zeros(64 - sname.count)        //   zero fill to 64
        var file: [UInt8] = []                      // file (128 bytes) holds options:
        file += [1, 4, 255, 255, 255, 0]            //    1 subnet mask: 255.255.255.0
        file += [15, 8, 0x65, 0x78, 0x61, 0x6d,     //   15 domain name, part 1: "exam"
                 0x70, 0x6c, 0x65, 0x2e]            //      "ple."
        file += [51, 4, 0x00, 0x00, 0x0e, 0x10]     //   51 lease time: 3600 s
        file += [255]                               //   End
        p += file + zeros(128 - file.count)         //   zero fill to 128
        p += cookie                                 // magic cookie
        p += [52, 1, 3]                             // 52 overload: file and sname
        p += [53, 1, 0x05]                          // 53 message type: ACK
        p += [54, 4, 192, 0, 2, 1]                  // 54 server identifier: 192.0.2.1
        p += [255]                                  // End
        return padded(p)                            // zero padding to 300 bytes
    }()

    /// Option 43 carried as two instances (255 bytes of "A", then, after
    /// option 54, 45 bytes of "B") that decode as one 300-byte value (RFC 3396).
    static let splitOption: [UInt8] = {
        var p = header(op: 2, xid: [0x00, 0x00, 0x33, 0x96])   // BOOTREPLY, xid 0x3396
        p += [53, 1, 0x05]                                      // 53 message type: ACK
        p += [43, 255] + Array(repeating: 0x41, count: 255)     // 43 vendor specific, part 1: 255 x "A"
        p += [54, 4, 192, 0, 2, 1]                              // 54 server identifier: 192.0.2.1
        p += [43, 45] + Array(repeating: 0x42, count: 45)       // 43 vendor specific, part 2: 45 x "B"
        p += [255]                                              // End
        return p                                                // over 300 bytes: no padding
    }()

    /// A REQUEST carrying the private-use options 224 and 250, in canonical
    /// order so it re-encodes byte for byte.
    static let unknownOptions: [UInt8] = {
        var p = header(xid: [0x00, 0x00, 0x0e, 0x0e])  // BOOTREQUEST, xid 0x0e0e
        p += [53, 1, 0x03]                             // 53 message type: REQUEST
        p += [224, 3, 0x01, 0x02, 0x03]                // 224 private use: 01 02 03
        p += [250, 0]                                  // 250 private use: empty value
        p += [255]                                     // End
        return padded(p)                               // zero padding to 300 bytes
    }()
}

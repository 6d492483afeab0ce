extension DHCPMessage {
    /// Decodes a datagram. Total: every malformed input throws a typed
    /// `DHCPDecodeError`, nothing traps.
    ///
    /// Options are read from the options area, then from `file` and `sname`
    /// when option 52 says they are overloaded (RFC 2131 §4.1, RFC 3396 §5
    /// order), repeated codes concatenated. Overloaded fields are cleared and
    /// option 52 dropped, so the result re-encodes without overload.
    public static func decode(_ bytes: [UInt8]) throws(DHCPDecodeError) -> DHCPMessage {
        var cursor = ByteCursor(bytes)
        let opByte = try cursor.uint8("op")
        guard let op = OpCode(rawValue: opByte) else { throw .badOpCode(opByte) }
        var message = DHCPMessage(op: op, xid: 0)
        message.htype = try cursor.uint8("htype")
        message.hlen = try cursor.uint8("hlen")
        guard message.hlen <= 16 else { throw .hardwareAddressTooLong(message.hlen) }
        message.hops = try cursor.uint8("hops")
        message.xid = try cursor.uint32("xid")
        message.secs = try cursor.uint16("secs")
        message.flags = try cursor.uint16("flags")
        message.ciaddr = IPv4Address(try cursor.uint32("ciaddr"))
        message.yiaddr = IPv4Address(try cursor.uint32("yiaddr"))
        message.siaddr = IPv4Address(try cursor.uint32("siaddr"))
        message.giaddr = IPv4Address(try cursor.uint32("giaddr"))
        var fixed: [UInt8] = []
        fixed.reserveCapacity(208)
        fixed.append(contentsOf: try cursor.take(16, "chaddr"))
        let snameStart = cursor.index
        fixed.append(contentsOf: try cursor.take(64, "sname"))
        let fileStart = cursor.index
        fixed.append(contentsOf: try cursor.take(128, "file"))
        message.setFixedFields(fixed)
        let cookie = try cursor.uint32("magic cookie")
        guard cookie == magicCookie else { throw .badMagicCookie(cookie) }

        var options = DHCPOptions()
        options.reserve(options: 16, bytes: max(0, bytes.count - cursor.index))
        try readOptions(bytes, from: cursor.index, to: bytes.count, into: &options)
        if let overload = options[.overload] {
            guard overload.count == 1, (1...3).contains(overload[0]) else { throw .invalidOverload(overload) }
            options.remove(.overload)
            if overload[0] & 1 != 0 {
                try readOptions(bytes, from: fileStart, to: fileStart + 128, into: &options)
                guard !options.contains(.overload) else { throw .overloadInsideField("file") }
                message.file = []
            }
            if overload[0] & 2 != 0 {
                try readOptions(bytes, from: snameStart, to: snameStart + 64, into: &options)
                guard !options.contains(.overload) else { throw .overloadInsideField("sname") }
                message.sname = []
            }
        }
        message.options = options
        return message
    }

    /// Reads TLV options between `start` and `end`, stopping at End (255).
    /// A missing End at the end of the area is accepted (common in the wild).
    private static func readOptions(
        _ bytes: [UInt8], from start: Int, to end: Int, into options: inout DHCPOptions
    ) throws(DHCPDecodeError) {
        var cursor = ByteCursor(bytes, from: start, to: end)
        while !cursor.isAtEnd {
            let code = try cursor.uint8("option code")
            if code == OptionCode.pad.rawValue { continue }
            if code == OptionCode.end.rawValue { return }
            guard !cursor.isAtEnd else { throw .optionPastEnd(code: code, length: 1, available: 0) }
            let length = Int(try cursor.uint8("option length"))
            guard cursor.remaining >= length else {
                throw .optionPastEnd(code: code, length: length, available: cursor.remaining)
            }
            let value = try cursor.take(length, "option \(code)")
            options.append(OptionCode(code), value)
        }
    }
}

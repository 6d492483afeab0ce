extension DHCPMessage {
    /// Encodes the message deterministically: header, magic cookie, options
    /// in ascending code order with option 82 last (RFC 3046 §2.1), values
    /// longer than 255 bytes split into consecutive instances (RFC 3396 §6),
    /// End, then zero padding up to the BOOTP minimum of 300 bytes.
    /// Pad (0) and End (255) entries in `options` are never written as options,
    /// nor is Overload (52): options are only ever written to the options
    /// area, so a stray 52 would make receivers parse `sname`/`file` as options.
    public func encode() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Self.minimumSize + 64)
        encode(into: &out)
        return out
    }

    public func encode(into out: inout [UInt8]) {
        let start = out.count
        out.append(op.rawValue)
        out.append(htype)
        out.append(hlen)
        out.append(hops)
        DHCPOptions.append32(xid, to: &out)
        out.append(UInt8(secs >> 8)); out.append(UInt8(secs & 0xFF))
        out.append(UInt8(flags >> 8)); out.append(UInt8(flags & 0xFF))
        DHCPOptions.append32(ciaddr.value, to: &out)
        DHCPOptions.append32(yiaddr.value, to: &out)
        DHCPOptions.append32(siaddr.value, to: &out)
        DHCPOptions.append32(giaddr.value, to: &out)
        out.append(contentsOf: fixedFields)
        DHCPOptions.append32(Self.magicCookie, to: &out)

        options.forEachSorted(by: Self.encodingOrder) { code, value in
            // Pad, End and Overload are framing, never options of their own
            // here: this encoder does not put options in sname or file.
            if code == 0 || code == 255 || code == OptionCode.overload.rawValue { return }
            if value.isEmpty {
                out.append(code); out.append(0)
                return
            }
            var offset = value.startIndex
            while offset < value.endIndex {
                let chunk = min(255, value.endIndex - offset)
                out.append(code)
                out.append(UInt8(chunk))
                out.append(contentsOf: value[offset..<(offset + chunk)])
                offset += chunk
            }
        }
        out.append(OptionCode.end.rawValue)
        let length = out.count - start
        if length < Self.minimumSize {
            out.append(contentsOf: repeatElement(0, count: Self.minimumSize - length))
        }
    }

    /// Ascending code, with option 82 after every other (RFC 3046 §2.1).
    static func encodingOrder(_ a: UInt8, _ b: UInt8) -> Bool {
        let ka = a == OptionCode.relayAgentInformation.rawValue ? 256 : Int(a)
        let kb = b == OptionCode.relayAgentInformation.rawValue ? 256 : Int(b)
        return ka < kb
    }
}

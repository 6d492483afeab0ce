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
        append32(xid, to: &out)
        out.append(UInt8(secs >> 8)); out.append(UInt8(secs & 0xFF))
        out.append(UInt8(flags >> 8)); out.append(UInt8(flags & 0xFF))
        for address in [ciaddr, yiaddr, siaddr, giaddr] { append32(address.value, to: &out) }
        appendFixed(chaddr, size: 16, to: &out)
        appendFixed(sname, size: 64, to: &out)
        appendFixed(file, size: 128, to: &out)
        append32(Self.magicCookie, to: &out)

        for entry in orderedEntries() {
            let code = entry.code.rawValue
            if code == OptionCode.pad.rawValue || code == OptionCode.end.rawValue
                || code == OptionCode.overload.rawValue { continue }
            if entry.value.isEmpty {
                out.append(code); out.append(0)
                continue
            }
            var offset = 0
            while offset < entry.value.count {
                let chunk = min(255, entry.value.count - offset)
                out.append(code)
                out.append(UInt8(chunk))
                out.append(contentsOf: entry.value[offset..<(offset + chunk)])
                offset += chunk
            }
        }
        out.append(OptionCode.end.rawValue)
        let length = out.count - start
        if length < Self.minimumSize {
            out.append(contentsOf: repeatElement(0, count: Self.minimumSize - length))
        }
    }

    private func orderedEntries() -> [(code: OptionCode, value: [UInt8])] {
        options.entries.sorted { a, b in
            let ka = a.code == .relayAgentInformation ? 256 : Int(a.code.rawValue)
            let kb = b.code == .relayAgentInformation ? 256 : Int(b.code.rawValue)
            return ka < kb
        }
    }

    private func append32(_ value: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(value >> 24)); out.append(UInt8(value >> 16 & 0xFF))
        out.append(UInt8(value >> 8 & 0xFF)); out.append(UInt8(value & 0xFF))
    }

    private func appendFixed(_ field: [UInt8], size: Int, to out: inout [UInt8]) {
        out.append(contentsOf: field.prefix(size))
        if field.count < size { out.append(contentsOf: repeatElement(0, count: size - field.count)) }
    }
}

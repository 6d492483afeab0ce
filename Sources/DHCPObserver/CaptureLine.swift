import DHCPv4
import PacketCapture

/// One line per captured packet for `autoprov capture`: pure, stable.
///
///     TIME TYPE MAC [class=NAME] xid=0xXXXXXXXX SRC:PORT > DST:PORT [field=value]...
///
/// TIME is UTC `HH:MM:SS.mmm`; TYPE the option-53 name (`DISCOVER` ...
/// `INFORM`, `TYPEn` for others, `BOOTREQUEST`/`BOOTREPLY` without option
/// 53); MAC the client hardware address. Then, in this order and only when
/// present (non-zero addresses, options sent): `ciaddr`, `yiaddr`, `giaddr`,
/// `server` (54), `requested` (50), `prl` (55, decimal codes), `vendor` (60),
/// `hostname` (12), `opt66`, `opt43`, `opt67`, `lease` (51, seconds or
/// `infinite`). Text is double-quoted with `"`, `\` and non-printable bytes
/// escaped (`\xNN`); a binary option 43 is hex. A frame that is not
/// UDP/IPv4 or not a DHCP message gives `TIME NOT-DHCP reason` or
/// `TIME MALFORMED SRC:PORT > DST:PORT reason`.
public enum CaptureLine {
    /// Decodes `frame` and describes it; `className` names the client
    /// class of a MAC (nil: none, or no config given).
    public static func describe(
        _ frame: CapturedFrame, className: (MACAddress, String?) -> String? = { _, _ in nil }
    ) -> String {
        let time = timeOfDay(frame.timestamp)
        let udp: UDPFrame
        do {
            udp = try UDPFrame.decode(frame)
        } catch {
            return "\(time) NOT-DHCP \(error)"
        }
        let ends = ends(udp)
        let message: DHCPMessage
        do {
            message = try DHCPMessage.decode(udp.payload)
        } catch {
            return "\(time) MALFORMED \(ends) \(error)"
        }
        let name = message.clientMAC.flatMap { className($0, message.vendorClassIdentifier) }
        return line(message, time: frame.timestamp, ends: ends, className: name)
    }

    /// `SRC:PORT > DST:PORT`.
    public static func ends(_ udp: UDPFrame) -> String {
        "\(udp.sourceIP):\(udp.sourcePort) > \(udp.destinationIP):\(udp.destinationPort)"
    }

    /// The line for a decoded message.
    public static func line(_ m: DHCPMessage, time: Double, ends: String, className: String? = nil) -> String {
        let type = m.messageType?.description ?? (m.op == .bootReply ? "BOOTREPLY" : "BOOTREQUEST")
        let mac = m.clientMAC?.description ?? "htype=\(m.htype)/hlen=\(m.hlen)"
        var fields = [timeOfDay(time), type, mac]
        if let className { fields.append("class=\(className)") }
        fields.append("xid=0x" + hex32(m.xid))
        fields.append(ends)
        for (key, address) in [("ciaddr", m.ciaddr), ("yiaddr", m.yiaddr), ("giaddr", m.giaddr)] where !address.isUnspecified {
            fields.append("\(key)=\(address)")
        }
        if let server = m.serverIdentifier { fields.append("server=\(server)") }
        if let requested = m.requestedIPAddress { fields.append("requested=\(requested)") }
        if let prl = m.options[.parameterRequestList] { fields.append("prl=" + prl.map(String.init).joined(separator: ",")) }
        let texts: [(String, OptionCode)] = [("vendor", .vendorClassIdentifier), ("hostname", .hostName), ("opt66", .tftpServerName)]
        for (key, code) in texts {
            if let value = m.options[code] { fields.append("\(key)=\(quoted(value))") }
        }
        if let value = m.options[.vendorSpecific] {
            fields.append("opt43=" + (isText(value) ? quoted(value) : value.map(hex8).joined()))
        }
        if let value = m.options[.bootfileName] { fields.append("opt67=\(quoted(value))") }
        if let lease = m.options.uint32(.leaseTime) { fields.append("lease=" + (lease == .max ? "infinite" : "\(lease)")) }
        return fields.joined(separator: " ")
    }

    /// `HH:MM:SS.mmm`, UTC.
    static func timeOfDay(_ t: Double) -> String {
        let millis = Int64((t * 1000).rounded(.down))
        let day = ((millis % 86_400_000) + 86_400_000) % 86_400_000
        let h = day / 3_600_000, m = day / 60_000 % 60, s = day / 1000 % 60, ms = day % 1000
        return pad(h, 2) + ":" + pad(m, 2) + ":" + pad(s, 2) + "." + pad(ms, 3)
    }

    static func quoted(_ bytes: [UInt8]) -> String {
        var out = "\""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): out += "\\\""
            case UInt8(ascii: "\\"): out += "\\\\"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(byte))
            default: out += "\\x" + hex8(byte)
            }
        }
        return out + "\""
    }

    static func isText(_ bytes: [UInt8]) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { (0x20...0x7E).contains($0) }
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private static func hex8(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    private static func hex32(_ value: UInt32) -> String {
        (0..<4).map { hex8(UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt32($0)))) }.joined()
    }
}

import DHCPv4

/// Turns a config option value (text) into the bytes sent on the wire.
///
/// Codes whose RFC 2132 type is a list of addresses (3 router, 6 DNS, 42 NTP…)
/// take addresses separated by commas or spaces; `0x0a0b…` gives raw bytes;
/// anything else is sent as its UTF-8 text, as is (`$mac` included).
enum OptionValue {
    static let addressCodes: Set<UInt8> = [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 28, 41, 42, 44, 45, 48, 49, 65, 68, 69, 70, 71, 72, 73, 74, 75, 76, 150]
    /// Codes the server manages itself; a config may not set them.
    static let reserved: Set<UInt8> = [0, 50, 51, 52, 53, 54, 55, 57, 58, 59, 61, 82, 255]

    static func parse(code text: String, value: String, key: String) -> Result<(OptionCode, [UInt8]), ConfigIssue> {
        guard let number = UInt8(text) else {
            return .failure(ConfigIssue(key: key, message: "expected an option code 1-254, got \"\(text)\""))
        }
        guard !reserved.contains(number) else {
            return .failure(ConfigIssue(
                key: key, message: "option \(number) is set by the server itself and cannot be configured"))
        }
        if value.hasPrefix("0x") {
            let hex = Array(value.dropFirst(2))
            guard hex.count % 2 == 0, !hex.isEmpty, hex.allSatisfy(\.isHexDigit) else {
                return .failure(ConfigIssue(key: key, message: "expected hex bytes like 0x0a0b, got \"\(value)\""))
            }
            let bytes = stride(from: 0, to: hex.count, by: 2).map { UInt8(String(hex[$0...$0 + 1]), radix: 16)! }
            return .success((OptionCode(number), bytes))
        }
        if addressCodes.contains(number) {
            let parts = value.split(whereSeparator: { $0 == "," || $0 == " " })
            let addresses = parts.compactMap { IPv4Address(String($0)) }
            guard !parts.isEmpty, addresses.count == parts.count else {
                return .failure(ConfigIssue(
                    key: key, message: "option \(number) takes IPv4 addresses like 192.0.2.1, got \"\(value)\""))
            }
            return .success((OptionCode(number), addresses.flatMap(\.bytes)))
        }
        guard !value.isEmpty, value.utf8.count <= 1020 else {
            return .failure(ConfigIssue(key: key, message: "expected 1 to 1020 bytes of text, got \(value.utf8.count)"))
        }
        return .success((OptionCode(number), Array(value.utf8)))
    }
}

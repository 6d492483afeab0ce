import DHCPv4

/// A file a phone asks for, recognised from its name alone.
public enum PhoneFile: Sendable, Equatable, CustomStringConvertible {
    /// `<mac>.cfg`: the per-device file (12 lowercase hex digits).
    case device(MACAddress)
    /// A per-model common file named in the profile (`F0V00X600000.cfg`).
    case common(model: String, name: String)
    /// `fanvil_<model>_hwv<x>_<y>.txt`: the firmware check file.
    case firmware(model: String, name: String)

    /// The template folder for this kind of file.
    public var kind: String {
        switch self {
        case .device: "device"
        case .common: "common"
        case .firmware: "firmware"
        }
    }

    public var description: String {
        switch self {
        case .device(let mac): mac.compact + ".cfg"
        case .common(_, let name), .firmware(_, let name): name
        }
    }

    public enum Recognition: Equatable, Sendable {
        case file(PhoneFile)
        /// `000000000000.cfg`: a phone that does not know its own MAC.
        case zeroMAC
        case unknown
    }

    public static func recognise(_ name: String, profile: VendorProfile) -> Recognition {
        if name.utf8.count == 16, name.hasSuffix(".cfg") {
            let hex = name.utf8.prefix(12)
            let isLowerHex = hex.allSatisfy {
                ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f"))
            }
            if isLowerHex, let mac = MACAddress(String(name.prefix(12))) {
                return mac.value == 0 ? .zeroMAC : .file(.device(mac))
            }
        }
        if let model = profile.model(forCommonFile: name) { return .file(.common(model: model, name: name)) }
        if let match = profile.firmwareCheckFile.wholeMatch(in: name),
           let model = match.output["model"]?.substring {
            return .file(.firmware(model: String(model), name: name))
        }
        return .unknown
    }
}

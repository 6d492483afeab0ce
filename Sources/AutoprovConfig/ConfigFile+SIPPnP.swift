/// The `sip_pnp` section: answering SIP PnP subscriptions (for networks
/// whose DHCP server cannot be changed).
extension ConfigFile {
    public struct SIPPnPSection: Decodable, Sendable {
        public var enabled = false
        public var interfaces: [String] = []
        public var port = 5060
        public var group = "224.0.1.75"
        /// Empty: option 66 of the first DHCP class that has one.
        public var url = ""
        init() {}

        enum CodingKeys: String, CodingKey, CaseIterable { case enabled, interfaces, port, group, url }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? enabled
            interfaces = try c.decodeIfPresent([String].self, forKey: .interfaces) ?? interfaces
            port = try c.decodeIfPresent(Int.self, forKey: .port) ?? port
            group = try c.decodeIfPresent(String.self, forKey: .group) ?? group
            url = try c.decodeIfPresent(String.self, forKey: .url) ?? url
        }
    }
}

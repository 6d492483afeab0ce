extension ConfigFile {
    public struct SubnetEntry: Decodable, Sendable {
        public var subnet: String
        public var pools: [String]
        public var leaseTime: Int?
        public var router: String?
        public var dns: [String]
        public var ntp: [String]
        public var domain: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case subnet, pools, router, dns, ntp, domain
            case leaseTime = "lease_time"
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            subnet = try c.decode(String.self, forKey: .subnet)
            pools = try c.decodeIfPresent([String].self, forKey: .pools) ?? []
            leaseTime = try c.decodeIfPresent(Int.self, forKey: .leaseTime)
            router = try c.decodeIfPresent(String.self, forKey: .router)
            dns = try c.decodeIfPresent([String].self, forKey: .dns) ?? []
            ntp = try c.decodeIfPresent([String].self, forKey: .ntp) ?? []
            domain = try c.decodeIfPresent(String.self, forKey: .domain)
        }
    }

    /// One `dhcp.interfaces` entry: a bare name (`ap0`: answer there over
    /// UDP), or a mapping `{name, transport: udp|raw, mode: serve|observe}`.
    public struct InterfaceEntry: Decodable, Sendable, Equatable {
        public var name: String
        public var transport = "udp"
        public var mode = "serve"

        public init(name: String, transport: String = "udp", mode: String = "serve") {
            self.name = name
            self.transport = transport
            self.mode = mode
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case name, transport, mode }

        public init(from decoder: any Decoder) throws {
            if let single = try? decoder.singleValueContainer(), let name = try? single.decode(String.self) {
                self.name = name
                return
            }
            try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            transport = try c.decodeIfPresent(String.self, forKey: .transport) ?? transport
            mode = try c.decodeIfPresent(String.self, forKey: .mode) ?? mode
        }
    }

    public struct ReservationEntry: Decodable, Sendable {
        public var mac: String
        public var ip: String
        public var hostname: String?
        public var options: [String: String]

        enum CodingKeys: String, CodingKey, CaseIterable { case mac, ip, hostname, options }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            mac = try c.decode(String.self, forKey: .mac)
            ip = try c.decode(String.self, forKey: .ip)
            hostname = try c.decodeIfPresent(String.self, forKey: .hostname)
            options = try c.decodeIfPresent(OptionMap.self, forKey: .options)?.values ?? [:]
        }
    }

    public struct ClassEntry: Decodable, Sendable {
        public var name: String
        public var oui: [String] = []
        public var vendorClass: [String] = []
        public var mac: [String] = []
        public var options: [String: String]
        public var alwaysSend: Bool

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, match, options
            case alwaysSend = "always_send"
        }
        enum MatchKeys: String, CodingKey, CaseIterable {
            case oui, mac
            case vendorClass = "vendor_class"
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            if c.contains(.match) {
                try c.superDecoder(forKey: .match).rejectUnknownKeys(MatchKeys.allCases.map(\.rawValue))
                let m = try c.nestedContainer(keyedBy: MatchKeys.self, forKey: .match)
                oui = try m.decodeIfPresent([String].self, forKey: .oui) ?? []
                vendorClass = try m.decodeIfPresent([String].self, forKey: .vendorClass) ?? []
                mac = try m.decodeIfPresent([String].self, forKey: .mac) ?? []
            }
            options = try c.decodeIfPresent(OptionMap.self, forKey: .options)?.values ?? [:]
            alwaysSend = try c.decodeIfPresent(Bool.self, forKey: .alwaysSend) ?? true
        }
    }

    /// `code: value` pairs; keys are option codes written as numbers.
    struct OptionMap: Decodable {
        var values: [String: String] = [:]
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: AnyKey.self)
            for key in c.allKeys { values[key.stringValue] = try c.decode(String.self, forKey: key) }
        }
    }
}

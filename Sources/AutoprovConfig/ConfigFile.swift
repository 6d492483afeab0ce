/// The YAML file as written, before validation. Keys are snake_case as in
/// `autoprov.example.yml`; every section and most keys have defaults.
public struct ConfigFile: Decodable, Sendable {
    public var store = StoreSection()
    public var log = LogSection()
    public var dhcp = DHCPSection()
    public var inventory = InventorySection()
    public var configServer = ConfigServerSection()
    public var admin = AdminSection()
    public var postProvision = PostProvisionSection()
    public var sipPnP = SIPPnPSection()

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case store, log, dhcp, inventory, admin
        case configServer = "config_server", postProvision = "post_provision", sipPnP = "sip_pnp"
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        store = try c.decodeIfPresent(StoreSection.self, forKey: .store) ?? store
        log = try c.decodeIfPresent(LogSection.self, forKey: .log) ?? log
        dhcp = try c.decodeIfPresent(DHCPSection.self, forKey: .dhcp) ?? dhcp
        inventory = try c.decodeIfPresent(InventorySection.self, forKey: .inventory) ?? inventory
        configServer = try c.decodeIfPresent(ConfigServerSection.self, forKey: .configServer) ?? configServer
        admin = try c.decodeIfPresent(AdminSection.self, forKey: .admin) ?? admin
        postProvision = try c.decodeIfPresent(PostProvisionSection.self, forKey: .postProvision) ?? postProvision
        sipPnP = try c.decodeIfPresent(SIPPnPSection.self, forKey: .sipPnP) ?? sipPnP
    }

    public struct StoreSection: Decodable, Sendable {
        public var path = "./var/autoprov.sqlite"
        public var synchronous = "full"
        public var retention = RetentionSection()
        init() {}
        enum CodingKeys: String, CodingKey, CaseIterable { case path, synchronous, retention }
        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            path = try c.decodeIfPresent(String.self, forKey: .path) ?? path
            synchronous = try c.decodeIfPresent(String.self, forKey: .synchronous) ?? synchronous
            retention = try c.decodeIfPresent(RetentionSection.self, forKey: .retention) ?? retention
        }
    }

    /// `store.retention`: how much event history is kept.
    public struct RetentionSection: Decodable, Sendable {
        public var maxAgeDays = 90
        public var eventsPerDevice = 1_000
        public var intervalSeconds = 3_600
        init() {}
        enum CodingKeys: String, CodingKey, CaseIterable {
            case maxAgeDays = "max_age_days", eventsPerDevice = "events_per_device", intervalSeconds = "interval_seconds"
        }
        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxAgeDays = try c.decodeIfPresent(Int.self, forKey: .maxAgeDays) ?? maxAgeDays
            eventsPerDevice = try c.decodeIfPresent(Int.self, forKey: .eventsPerDevice) ?? eventsPerDevice
            intervalSeconds = try c.decodeIfPresent(Int.self, forKey: .intervalSeconds) ?? intervalSeconds
        }
    }

    public struct LogSection: Decodable, Sendable {
        public var level = "info"
        init() {}
        enum CodingKeys: String, CodingKey, CaseIterable { case level }
        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            level = try c.decodeIfPresent(String.self, forKey: .level) ?? level
        }
    }

    public struct DHCPSection: Decodable, Sendable {
        public var enabled = true
        public var port = 67
        public var interfaces: [InterfaceEntry] = []
        public var unknownClients = "serve"
        public var offerHold = 30
        public var declineQuarantine = 3600
        public var commitBatch = 256
        public var receiveBufferKiB = 512
        public var subnets: [SubnetEntry] = []
        public var reservations: [ReservationEntry] = []
        public var classes: [ClassEntry] = []
        init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case enabled, port, interfaces, subnets, reservations, classes
            case unknownClients = "unknown_clients", offerHold = "offer_hold"
            case declineQuarantine = "decline_quarantine", commitBatch = "commit_batch"
            case receiveBufferKiB = "receive_buffer_kib"
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? enabled
            port = try c.decodeIfPresent(Int.self, forKey: .port) ?? port
            interfaces = try c.decodeIfPresent([InterfaceEntry].self, forKey: .interfaces) ?? interfaces
            unknownClients = try c.decodeIfPresent(String.self, forKey: .unknownClients) ?? unknownClients
            offerHold = try c.decodeIfPresent(Int.self, forKey: .offerHold) ?? offerHold
            declineQuarantine = try c.decodeIfPresent(Int.self, forKey: .declineQuarantine) ?? declineQuarantine
            commitBatch = try c.decodeIfPresent(Int.self, forKey: .commitBatch) ?? commitBatch
            receiveBufferKiB = try c.decodeIfPresent(Int.self, forKey: .receiveBufferKiB) ?? receiveBufferKiB
            subnets = try c.decodeIfPresent([SubnetEntry].self, forKey: .subnets) ?? subnets
            reservations = try c.decodeIfPresent([ReservationEntry].self, forKey: .reservations) ?? reservations
            classes = try c.decodeIfPresent([ClassEntry].self, forKey: .classes) ?? classes
        }
    }
}

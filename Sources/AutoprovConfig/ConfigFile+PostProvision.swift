/// The `post_provision` section: driving phones over their HTTP API.
extension ConfigFile {
    public struct PostProvisionSection: Decodable, Sendable {
        public var enabled = true
        public var apiScheme = "http"
        public var apiPort = 80
        public var verifyTLS = false
        public var requestTimeout = 5.0
        public var concurrency = 32
        public var deadline = 300.0
        public var leaseGrace = 30.0
        public var fetchSettle = 1.0
        public var successCodes = [200]
        public var failureCodes = [401, 403, 404, 407, 488, 603]
        public var eventsURL = ""
        public var defaultAdminUser = "admin"
        public var defaultAdminPassword = "admin"
        public var basicOverHTTPGroups: [String] = []
        init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case enabled, concurrency, deadline
            case apiScheme = "api_scheme", apiPort = "api_port", verifyTLS = "verify_tls"
            case requestTimeout = "request_timeout", leaseGrace = "lease_grace", fetchSettle = "fetch_settle"
            case successCodes = "success_codes", failureCodes = "failure_codes", eventsURL = "events_url"
            case defaultAdminUser = "default_admin_user", defaultAdminPassword = "default_admin_password"
            case basicOverHTTPGroups = "basic_over_http_groups"
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? enabled
            apiScheme = try c.decodeIfPresent(String.self, forKey: .apiScheme) ?? apiScheme
            apiPort = try c.decodeIfPresent(Int.self, forKey: .apiPort) ?? apiPort
            verifyTLS = try c.decodeIfPresent(Bool.self, forKey: .verifyTLS) ?? verifyTLS
            requestTimeout = try c.decodeIfPresent(Double.self, forKey: .requestTimeout) ?? requestTimeout
            concurrency = try c.decodeIfPresent(Int.self, forKey: .concurrency) ?? concurrency
            deadline = try c.decodeIfPresent(Double.self, forKey: .deadline) ?? deadline
            leaseGrace = try c.decodeIfPresent(Double.self, forKey: .leaseGrace) ?? leaseGrace
            fetchSettle = try c.decodeIfPresent(Double.self, forKey: .fetchSettle) ?? fetchSettle
            successCodes = try c.decodeIfPresent([Int].self, forKey: .successCodes) ?? successCodes
            failureCodes = try c.decodeIfPresent([Int].self, forKey: .failureCodes) ?? failureCodes
            eventsURL = try c.decodeIfPresent(String.self, forKey: .eventsURL) ?? eventsURL
            defaultAdminUser = try c.decodeIfPresent(String.self, forKey: .defaultAdminUser) ?? defaultAdminUser
            defaultAdminPassword = try c.decodeIfPresent(String.self, forKey: .defaultAdminPassword) ?? defaultAdminPassword
            basicOverHTTPGroups = try c.decodeIfPresent([String].self, forKey: .basicOverHTTPGroups) ?? basicOverHTTPGroups
        }
    }
}

/// The sections of the config server, the inventory and the admin API.
extension ConfigFile {
    public struct InventorySection: Decodable, Sendable {
        public var templates = ""
        public var shippedTemplates = ""
        public var unknownDevices = "404"
        public var defaultGroup = "default"
        public var variables: [String: String] = [:]
        public var modelVariables: [String: [String: String]] = [:]
        init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case templates, variables
            case shippedTemplates = "shipped_templates", unknownDevices = "unknown_devices"
            case defaultGroup = "default_group", modelVariables = "model_variables"
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            templates = try c.decodeIfPresent(String.self, forKey: .templates) ?? templates
            shippedTemplates = try c.decodeIfPresent(String.self, forKey: .shippedTemplates) ?? shippedTemplates
            // YAML reads 404 as a number; both spellings mean the same.
            if let code = try? c.decodeIfPresent(Int.self, forKey: .unknownDevices) {
                unknownDevices = String(code)
            } else {
                unknownDevices = try c.decodeIfPresent(String.self, forKey: .unknownDevices) ?? unknownDevices
            }
            defaultGroup = try c.decodeIfPresent(String.self, forKey: .defaultGroup) ?? defaultGroup
            variables = try c.decodeIfPresent([String: String].self, forKey: .variables) ?? variables
            modelVariables = try c.decodeIfPresent([String: [String: String]].self, forKey: .modelVariables) ?? modelVariables
        }
    }

    public struct ConfigServerSection: Decodable, Sendable {
        public var enabled = true
        public var listen = "0.0.0.0:8080"
        public var pathPrefix = "/"
        public var authorize = "leased_ip"
        public var digestRealm = "autoprov"
        public var perDeviceSecret = true
        public var https = HTTPSSection()
        public var digest = DigestSection()
        public var limits = LimitsSection()
        init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case enabled, listen, authorize, https, digest, limits
            case pathPrefix = "path_prefix", digestRealm = "digest_realm", perDeviceSecret = "per_device_secret"
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? enabled
            listen = try c.decodeIfPresent(String.self, forKey: .listen) ?? listen
            pathPrefix = try c.decodeIfPresent(String.self, forKey: .pathPrefix) ?? pathPrefix
            authorize = try c.decodeIfPresent(String.self, forKey: .authorize) ?? authorize
            digestRealm = try c.decodeIfPresent(String.self, forKey: .digestRealm) ?? digestRealm
            perDeviceSecret = try c.decodeIfPresent(Bool.self, forKey: .perDeviceSecret) ?? perDeviceSecret
            https = try c.decodeIfPresent(HTTPSSection.self, forKey: .https) ?? https
            digest = try c.decodeIfPresent(DigestSection.self, forKey: .digest) ?? digest
            limits = try c.decodeIfPresent(LimitsSection.self, forKey: .limits) ?? limits
        }
    }

    /// `config_server.digest`: nonce lifetime and failure throttling.
    public struct DigestSection: Decodable, Sendable {
        public var nonceLifetime = 300.0
        public var maxFailures = 10
        public var failureWindow = 60.0
        public var cooldown = 300.0
        init() {}
        enum CodingKeys: String, CodingKey, CaseIterable {
            case nonceLifetime = "nonce_lifetime", maxFailures = "max_failures", failureWindow = "failure_window", cooldown
        }
        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            nonceLifetime = try c.decodeIfPresent(Double.self, forKey: .nonceLifetime) ?? nonceLifetime
            maxFailures = try c.decodeIfPresent(Int.self, forKey: .maxFailures) ?? maxFailures
            failureWindow = try c.decodeIfPresent(Double.self, forKey: .failureWindow) ?? failureWindow
            cooldown = try c.decodeIfPresent(Double.self, forKey: .cooldown) ?? cooldown
        }
    }

    public struct HTTPSSection: Decodable, Sendable {
        public var listen = ""
        public var certificate = ""
        public var key = ""
        init() {}
        enum CodingKeys: String, CodingKey, CaseIterable { case listen, certificate, key }
        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            listen = try c.decodeIfPresent(String.self, forKey: .listen) ?? listen
            certificate = try c.decodeIfPresent(String.self, forKey: .certificate) ?? certificate
            key = try c.decodeIfPresent(String.self, forKey: .key) ?? key
        }
    }

    public struct AdminSection: Decodable, Sendable {
        public var enabled = true
        public var listen = "127.0.0.1:8081"
        public var tokenFile = ""
        public var limits = LimitsSection()
        init() {}
        enum CodingKeys: String, CodingKey, CaseIterable {
            case enabled, listen, limits
            case tokenFile = "token_file"
        }
        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? enabled
            listen = try c.decodeIfPresent(String.self, forKey: .listen) ?? listen
            tokenFile = try c.decodeIfPresent(String.self, forKey: .tokenFile) ?? tokenFile
            limits = try c.decodeIfPresent(LimitsSection.self, forKey: .limits) ?? limits
        }
    }
}

/// `config_server.limits` and `admin.limits`: a listener's connection limits.
/// A key left out keeps that listener's default (`ConnectionLimits`).
extension ConfigFile {
    public struct LimitsSection: Decodable, Sendable {
        public var maxConnections: Int?
        public var maxConnectionsPerAddress: Int?
        public var requestDeadline: Double?
        init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case maxConnections = "max_connections", maxConnectionsPerAddress = "max_connections_per_address"
            case requestDeadline = "request_deadline"
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxConnections = try c.decodeIfPresent(Int.self, forKey: .maxConnections)
            maxConnectionsPerAddress = try c.decodeIfPresent(Int.self, forKey: .maxConnectionsPerAddress)
            requestDeadline = try c.decodeIfPresent(Double.self, forKey: .requestDeadline)
        }
    }
}

import ConfigServer

/// Checks of a listener's connection limits (`config_server.limits`, `admin.limits`).
extension ConfigValidator {
    static let maxConnectionsRange = 1...1_000_000
    static let requestDeadlineRange = 0.1...3600.0

    mutating func validate(_ section: ConfigFile.LimitsSection, defaults: ConnectionLimits, key: String) -> ConnectionLimits {
        var limits = defaults
        if let total = section.maxConnections {
            if Self.maxConnectionsRange.contains(total) {
                limits.maxConnections = total
            } else {
                issue("\(key).max_connections", "expected a number of connections from 1 to 1000000, got \(total)")
            }
        }
        if let perAddress = section.maxConnectionsPerAddress {
            if Self.maxConnectionsRange.contains(perAddress) {
                limits.maxConnectionsPerAddress = perAddress
            } else {
                issue("\(key).max_connections_per_address", "expected a number of connections from 1 to 1000000, got \(perAddress)")
            }
        }
        if limits.maxConnectionsPerAddress > limits.maxConnections {
            issue("\(key).max_connections_per_address", "expected at most max_connections (\(limits.maxConnections)), got \(limits.maxConnectionsPerAddress)")
        }
        if let deadline = section.requestDeadline {
            if Self.requestDeadlineRange.contains(deadline) {
                limits.requestDeadline = deadline
            } else {
                issue("\(key).request_deadline", "expected seconds from 0.1 to 3600, got \(deadline)")
            }
        }
        return limits
    }
}

/// One problem in a config file, naming the key, what was wanted and what was found.
public struct ConfigIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public var key: String
    public var message: String
    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }
    public var description: String { "\(key): \(message)" }
}

/// All problems found in a config file; none is applied.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var issues: [ConfigIssue]
    public var description: String {
        "invalid configuration \(file):\n" + issues.map { "  - \($0)" }.joined(separator: "\n")
    }
}

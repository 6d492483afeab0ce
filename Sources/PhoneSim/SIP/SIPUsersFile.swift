/// The users file of `phonesim registrar`: `user,password` per line, `#`
/// comments and blank lines ignored, spaces around fields trimmed.
public enum SIPUsersFile {
    public struct LineError: Error, CustomStringConvertible, Sendable, Equatable {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// user -> password; throws naming the first bad line (1-based).
    public static func parse(_ text: String) throws(LineError) -> [String: String] {
        var users: [String: String] = [:]
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let line = raw.trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
            guard fields.count == 2 else { throw LineError(line: index + 1, reason: "expected user,password") }
            let user = fields[0].trimmingSpaces(), password = fields[1].trimmingSpaces()
            guard !user.isEmpty else { throw LineError(line: index + 1, reason: "empty user") }
            guard !password.isEmpty else { throw LineError(line: index + 1, reason: "empty password for \(user)") }
            guard users[user] == nil else { throw LineError(line: index + 1, reason: "duplicate user \(user)") }
            users[user] = password
        }
        return users
    }
}

import Foundation
import Yams

/// Reads the YAML file, applies environment overrides, validates.
///
/// Environment overrides (for systemd drop-ins and tests):
/// `AUTOPROV_STORE_PATH`, `AUTOPROV_LOG_LEVEL`, `AUTOPROV_DHCP_INTERFACES`
/// (comma-separated).
public enum ConfigLoader {
    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> AutoprovSettings {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(file: path, issues: [ConfigIssue(key: "(file)", message: "cannot read: \(error.localizedDescription)")])
        }
        return try parse(text, file: path, environment: environment)
    }

    public static func parse(
        _ text: String, file: String = "(text)", environment: [String: String] = [:]
    ) throws(ConfigError) -> AutoprovSettings {
        var config: ConfigFile
        do {
            let isBlank = text.split(separator: "\n").allSatisfy {
                let line = $0.trimmingCharacters(in: .whitespaces)
                return line.isEmpty || line.hasPrefix("#")
            }
            config = isBlank ? ConfigFile() : try YAMLDecoder().decode(ConfigFile.self, from: text)
        } catch let error as DecodingError {
            throw ConfigError(file: file, issues: [issue(from: error)])
        } catch {
            throw ConfigError(file: file, issues: [ConfigIssue(key: "(file)", message: "not valid YAML: \(error)")])
        }
        if let path = environment["AUTOPROV_STORE_PATH"] { config.store.path = path }
        if let level = environment["AUTOPROV_LOG_LEVEL"] { config.log.level = level }
        if let interfaces = environment["AUTOPROV_DHCP_INTERFACES"] {
            config.dhcp.interfaces = interfaces.split(separator: ",").map {
                ConfigFile.InterfaceEntry(name: $0.trimmingCharacters(in: .whitespaces))
            }
        }
        var validator = ConfigValidator()
        let settings = validator.validate(config)
        guard validator.issues.isEmpty else { throw ConfigError(file: file, issues: validator.issues) }
        return settings
    }

    static func issue(from error: DecodingError) -> ConfigIssue {
        switch error {
        case let .typeMismatch(type, context):
            ConfigIssue(key: keyPath(context.codingPath), message: "expected \(describe(type)); \(context.debugDescription)")
        case let .valueNotFound(type, context):
            ConfigIssue(key: keyPath(context.codingPath), message: "expected \(describe(type)), found nothing")
        case let .keyNotFound(key, context):
            ConfigIssue(key: keyPath(context.codingPath + [key]), message: "required key is missing")
        case let .dataCorrupted(context):
            ConfigIssue(key: keyPath(context.codingPath), message: context.debugDescription)
        @unknown default:
            ConfigIssue(key: "(file)", message: "\(error)")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int.Type: "a whole number"
        case is Bool.Type: "true or false"
        case is [String].Type: "a list of text values"
        default: "\(type)"
        }
    }
}

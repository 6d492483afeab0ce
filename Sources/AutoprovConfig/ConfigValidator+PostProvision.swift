import ConfigServer
import Foundation
import PostProvision
import Store

/// Checks of the `post_provision` section.
extension ConfigValidator {
    mutating func validate(_ section: ConfigFile.PostProvisionSection) -> PostProvisionSettings {
        let key = "post_provision"
        var s = PostProvisionSettings()
        s.enabled = section.enabled
        s.scheme = PostProvisionSettings.Scheme(rawValue: section.apiScheme) ?? {
            issue("\(key).api_scheme", "expected http or https, got \"\(section.apiScheme)\"")
            return .http
        }()
        if (1...65535).contains(section.apiPort) { s.port = section.apiPort } else {
            issue("\(key).api_port", "expected a port 1-65535, got \(section.apiPort)")
        }
        s.verifyTLS = section.verifyTLS
        for (name, value, range) in [
            ("request_timeout", section.requestTimeout, 0.1...120.0), ("deadline", section.deadline, 1.0...86_400.0),
            ("lease_grace", section.leaseGrace, 0.0...3600.0), ("fetch_settle", section.fetchSettle, 0.0...600.0),
        ] where !range.contains(value) {
            issue("\(key).\(name)", "expected \(range.lowerBound)-\(range.upperBound) seconds, got \(value)")
        }
        s.requestTimeout = section.requestTimeout
        s.deadline = section.deadline
        s.leaseGrace = section.leaseGrace
        s.fetchSettle = section.fetchSettle
        if (1...4096).contains(section.concurrency) { s.concurrency = section.concurrency } else {
            issue("\(key).concurrency", "expected 1-4096 jobs at once, got \(section.concurrency)")
        }
        for (name, codes) in [("success_codes", section.successCodes), ("failure_codes", section.failureCodes)] {
            if let bad = codes.first(where: { !(0...999).contains($0) }) { issue("\(key).\(name)", "expected SIP status codes, got \(bad)") }
        }
        if section.successCodes.isEmpty { issue("\(key).success_codes", "expected at least one code (200)") }
        if let both = Set(section.successCodes).intersection(section.failureCodes).sorted().first {
            issue("\(key).failure_codes", "\(both) is also a success code")
        }
        s.successCodes = Set(section.successCodes)
        s.failureCodes = Set(section.failureCodes)
        if section.defaultAdminUser.isEmpty { issue("\(key).default_admin_user", "expected a user name (Fanvil's default is admin)") }
        s.defaultAdminUser = section.defaultAdminUser
        s.defaultAdminPassword = section.defaultAdminPassword
        for (index, name) in section.basicOverHTTPGroups.enumerated() where !DeviceValidation.isGroupName(name) {
            issue("\(key).basic_over_http_groups[\(index)]", "expected a group name (1-64 of A-Z a-z 0-9 _ . -), got \"\(name)\"")
        }
        s.basicOverHTTPGroups = Set(section.basicOverHTTPGroups)
        return s
    }

    /// The base of the action URLs phones call (`<base>/boot?mac=$mac&ip=$ip`):
    /// `post_provision.events_url`, else the config server's own address when
    /// it listens on one, else none (the templates then leave cti.* out).
    mutating func eventsURL(_ section: ConfigFile.PostProvisionSection, server: ConfigServerSettings) -> String? {
        if !section.eventsURL.isEmpty {
            guard let url = URL(string: section.eventsURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
                  !section.eventsURL.contains("\""), !section.eventsURL.hasSuffix("/") else {
                issue("post_provision.events_url", "expected a URL like http://192.0.2.1:8080/events (no trailing /), got \"\(section.eventsURL)\"")
                return nil
            }
            return section.eventsURL
        }
        guard server.enabled, server.listen.host != "0.0.0.0", !server.listen.host.isEmpty else { return nil }
        return "http://\(server.listen.host):\(server.listen.port)\(server.pathPrefix)events"
    }
}

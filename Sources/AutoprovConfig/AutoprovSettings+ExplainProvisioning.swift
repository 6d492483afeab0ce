import ConfigServer

extension AutoprovSettings {
    /// The config server, inventory and admin API, in plain words.
    func provisioningExplanation() -> [String] {
        var lines: [String] = []
        let c = configServer
        if c.enabled {
            let who = switch c.authorization {
            case .leasedIP: "only from the address currently leased to that phone's MAC"
            case .digest: "only with HTTP Digest credentials (the device's provisioning_username/password)"
            case .leasedIPOrDigest: "from the phone's leased address, or with its Digest credentials"
            case .leasedIPAndDigest: "from the phone's leased address and with its Digest credentials"
            }
            lines.append("Config files: HTTP on \(c.listen), files under \(c.pathPrefix) (\(c.pathPrefix)<mac>.cfg, per-model common files, firmware check files).")
            if let https = c.https { lines.append("  HTTPS as well on \(https.listen) (certificate \(https.certificate)).") }
            lines.append(c.perDeviceSecret
                ? "  A device's files are served \(who) until its first verified job (the bootstrap window); from then on only with Digest under its own provisioning secret (pushed with the rest; `autoprov device reset-secret MAC` after a factory reset)."
                : "  A device's files are served \(who) (config_server.per_device_secret is false: no per-device secrets are made or required).")
            lines.append(c.unknownDevices == .autocreate
                ? "  A phone not in the inventory is added as discovered (group \(c.defaultGroup)) once it passes that check."
                : "  A phone not in the inventory gets 404.")
            lines.append("  " + Self.limitsExplanation(c.limits) + " Requests with a body get 413.")
        } else {
            lines.append("Config files: not served (config_server.enabled is false).")
        }
        lines.append("Templates: \(render.overrideFolder.map { "\($0) first, then " } ?? "")\(render.shippedFolder) (vendor \(render.vendor)); \(render.globalVariables.count) global variable(s), variables for \(render.modelVariables.count) model(s).")
        let p = postProvision
        if p.enabled {
            lines.append("After a phone fetches its file: \(p.scheme.rawValue)://<its leased address>:\(p.port)/xmlService is asked for info.dev.Mac (must match), sent the push items (push/ templates), then polled until every line's registerCode is in \(p.successCodes.sorted()); \(p.concurrency) phones at once, failed after \(Int(p.deadline)) s.")
            lines.append(render.globalVariables["events_url"].map { "  Phones are told to call \($0)/boot|reg-on|reg-off|reg-failed?mac=$mac&ip=$ip (action URLs)." }
                ?? "  No action URLs (config_server.listen is a wildcard and post_provision.events_url is not set).")
            if p.requireDigestFetch {
                lines.append("  Files are served only with Digest: a phone is sent nothing until it fetched its own file with Digest from its address during its current lease.")
            }
            lines.append(p.basicOverHTTPGroups.isEmpty
                ? "  HTTP Basic is never answered over plain http (the password in clear)."
                : "  HTTP Basic is answered over plain http (the password in clear) for the groups \(p.basicOverHTTPGroups.sorted().joined(separator: ", ")).")
            if p.scheme == .https {
                lines.append("  Each phone's certificate is pinned at its first verification; another is refused until `autoprov device accept-cert MAC`.")
            }
        } else {
            lines.append("Post-provisioning: off (post_provision.enabled is false): phones stop at config-fetched.")
        }
        lines.append(admin.enabled
            ? "Admin API: JSON on \(admin.listen), bearer token in \(admin.tokenFile) (made at first start, mode 0600)."
            : "Admin API: off (admin.enabled is false).")
        if admin.enabled { lines.append("  " + Self.limitsExplanation(admin.limits)) }
        return lines + sipPnPExplanation()
    }

    /// One listener's limits, in plain words.
    static func limitsExplanation(_ limits: ConnectionLimits) -> String {
        "At most \(limits.maxConnections) connections (and a quarter of the descriptor limit), \(limits.maxConnectionsPerAddress) from one address; each request must arrive whole within \(limits.requestDeadline) s."
    }
}

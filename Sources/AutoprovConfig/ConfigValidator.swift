import DHCPServer
import DHCPv4
import Logging
import Store

/// Checks a `ConfigFile` and builds `AutoprovSettings`, collecting every
/// problem with the key it concerns.
struct ConfigValidator {
    private(set) var issues: [ConfigIssue] = []
    /// Set while validating `dhcp.interfaces`.
    var observeInterfaces: [String] = []

    mutating func issue(_ key: String, _ message: String) {
        issues.append(ConfigIssue(key: key, message: message))
    }

    mutating func validate(_ file: ConfigFile) -> AutoprovSettings {
        let synchronous = SQLiteLeaseStore.Synchronous(rawValue: file.store.synchronous) ?? {
            issue("store.synchronous", "expected full or normal, got \"\(file.store.synchronous)\"")
            return .full
        }()
        if file.store.path.isEmpty { issue("store.path", "expected a file path, got an empty string") }
        let level = Logger.Level(rawValue: file.log.level) ?? {
            issue("log.level", "expected one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(file.log.level)\"")
            return .info
        }()
        let configServer = validate(file.configServer, inventory: file.inventory)
        var render = validate(file.inventory)
        if let url = eventsURL(file.postProvision, server: configServer), file.postProvision.enabled {
            render.globalVariables["events_url"] = url
        }
        let dhcp = validate(file.dhcp)
        var settings = AutoprovSettings(
            storePath: file.store.path, synchronous: synchronous, logLevel: level,
            dhcpEnabled: file.dhcp.enabled, dhcp: dhcp,
            render: render, configServer: configServer,
            admin: validate(file.admin, storePath: file.store.path),
            postProvision: validate(file.postProvision),
            sipPnP: validate(file.sipPnP, classes: dhcp.classes))
        settings.observeInterfaces = observeInterfaces
        // When files are served only with Digest, a lease alone proves
        // nothing: the worker waits for the phone's Digest fetch.
        settings.postProvision.requireDigestFetch = configServer.enabled
            && [.digest, .leasedIPAndDigest].contains(configServer.authorization)
        // Per-device secrets: the worker makes and pushes them, and waits
        // for a Digest fetch under one in force before talking to its phone.
        settings.postProvision.perDeviceSecret = configServer.enabled && configServer.perDeviceSecret
        settings.retention = validate(file.store.retention)
        return settings
    }

    private mutating func validate(_ retention: ConfigFile.RetentionSection) -> RetentionPolicy {
        if !(0...36_500).contains(retention.maxAgeDays) {
            issue("store.retention.max_age_days", "expected days from 0 (keep all) to 36500, got \(retention.maxAgeDays)")
        }
        if !(0...10_000_000).contains(retention.eventsPerDevice) {
            issue("store.retention.events_per_device", "expected 0 (keep all) to 10000000 rows, got \(retention.eventsPerDevice)")
        }
        if !(1...604_800).contains(retention.intervalSeconds) {
            issue("store.retention.interval_seconds", "expected seconds from 1 to 604800, got \(retention.intervalSeconds)")
        }
        return RetentionPolicy(
            maxAge: Double(max(0, retention.maxAgeDays)) * 86_400, eventsPerDevice: max(0, retention.eventsPerDevice),
            interval: .seconds(max(1, retention.intervalSeconds)))
    }

    private mutating func validate(_ dhcp: ConfigFile.DHCPSection) -> ServerSettings {
        let (served, raw, _) = validate(interfaces: dhcp.interfaces, enabled: dhcp.enabled)
        if !(1...65534).contains(dhcp.port) { issue("dhcp.port", "expected a port 1-65534, got \(dhcp.port)") }
        let unknown = UnknownClientPolicy(rawValue: dhcp.unknownClients) ?? {
            issue("dhcp.unknown_clients", "expected serve or ignore, got \"\(dhcp.unknownClients)\"")
            return .serve
        }()
        positive("dhcp.offer_hold", dhcp.offerHold)
        positive("dhcp.decline_quarantine", dhcp.declineQuarantine)
        positive("dhcp.commit_batch", dhcp.commitBatch)
        if !(16...65536).contains(dhcp.receiveBufferKiB) {
            issue("dhcp.receive_buffer_kib", "expected KiB between 16 and 65536, got \(dhcp.receiveBufferKiB)")
        }
        if dhcp.enabled && !served.isEmpty && dhcp.subnets.isEmpty {
            issue("dhcp.subnets", "expected at least one subnet")
        }
        let subnets = dhcp.subnets.enumerated().compactMap { validate($1, key: "dhcp.subnets[\($0)]") }
        for (i, a) in subnets.enumerated() {
            for b in subnets[(i + 1)...] where a.contains(b.network) || b.contains(a.network) {
                issue("dhcp.subnets", "subnets \(a.name) and \(b.name) overlap")
            }
        }
        var reservations: [Reservation] = []
        for (i, entry) in dhcp.reservations.enumerated() {
            let key = "dhcp.reservations[\(i)]"
            guard let mac = MACAddress(entry.mac) else {
                issue("\(key).mac", "expected a MAC like 0c:38:3e:00:00:01, got \"\(entry.mac)\"")
                continue
            }
            guard let ip = IPv4Address(entry.ip) else {
                issue("\(key).ip", "expected an IPv4 address, got \"\(entry.ip)\"")
                continue
            }
            if !subnets.contains(where: { $0.contains(ip) }) { issue("\(key).ip", "\(ip) is in no configured subnet") }
            if reservations.contains(where: { $0.mac == mac }) { issue("\(key).mac", "\(mac) is reserved twice") }
            if reservations.contains(where: { $0.ip == ip }) { issue("\(key).ip", "\(ip) is reserved twice") }
            reservations.append(Reservation(
                mac: mac, ip: ip, hostname: entry.hostname, options: options(entry.options, key: "\(key).options")))
        }
        var classes: [ClientClass] = []
        for (i, entry) in dhcp.classes.enumerated() {
            classes.append(validate(entry, key: "dhcp.classes[\(i)]"))
        }
        var settings = ServerSettings(
            interfaces: served, port: dhcp.port, subnets: subnets, classes: classes,
            reservations: reservations, unknownClients: unknown, offerHold: Int64(dhcp.offerHold),
            declineQuarantine: Int64(dhcp.declineQuarantine), commitBatch: dhcp.commitBatch,
            receiveBuffer: dhcp.receiveBufferKiB << 10)
        settings.rawInterfaces = raw
        return settings
    }

    private mutating func positive(_ key: String, _ value: Int) {
        if value <= 0 { issue(key, "expected a positive whole number, got \(value)") }
    }

    private mutating func validate(_ entry: ConfigFile.SubnetEntry, key: String) -> Subnet? {
        guard let (network, prefix) = Subnet.parseCIDR(entry.subnet), prefix >= 8, prefix <= 30 else {
            issue("\(key).subnet", "expected a network like 192.0.2.0/24 (prefix 8-30), got \"\(entry.subnet)\"")
            return nil
        }
        var subnet = Subnet(network: network, prefixLength: prefix, pools: [])
        if subnet.network != network {
            issue("\(key).subnet", "\(entry.subnet) has host bits set; did you mean \(subnet.name)?")
        }
        if entry.pools.isEmpty { issue("\(key).pools", "expected at least one range like 192.0.2.100-192.0.2.199") }
        for (i, text) in entry.pools.enumerated() {
            guard let range = Subnet.parseRange(text) else {
                issue("\(key).pools[\(i)]", "expected first-last addresses like 192.0.2.100-192.0.2.199 with first <= last, got \"\(text)\"")
                continue
            }
            guard subnet.contains(range.lowerBound), subnet.contains(range.upperBound) else {
                issue("\(key).pools[\(i)]", "range \(text) is not inside \(subnet.name)")
                continue
            }
            if range.contains(subnet.network) || range.contains(subnet.broadcast) {
                issue("\(key).pools[\(i)]", "range \(text) includes the network or broadcast address of \(subnet.name)")
            }
            if subnet.pools.contains(where: { $0.overlaps(range) }) { issue("\(key).pools[\(i)]", "range \(text) overlaps another pool") }
            subnet.pools.append(range)
        }
        if let leaseTime = entry.leaseTime {
            if leaseTime < 60 || leaseTime > 365 * 86400 {
                issue("\(key).lease_time", "expected seconds between 60 and 31536000, got \(leaseTime)")
            } else {
                subnet.leaseTime = UInt32(leaseTime)
            }
        }
        if let router = entry.router {
            if let address = IPv4Address(router) { subnet.router = address } else {
                issue("\(key).router", "expected an IPv4 address, got \"\(router)\"")
            }
        }
        subnet.dns = addresses(entry.dns, key: "\(key).dns")
        subnet.ntp = addresses(entry.ntp, key: "\(key).ntp")
        subnet.domain = entry.domain
        return subnet
    }

    private mutating func addresses(_ texts: [String], key: String) -> [IPv4Address] {
        texts.enumerated().compactMap { i, text in
            if let address = IPv4Address(text) { return address }
            issue("\(key)[\(i)]", "expected an IPv4 address, got \"\(text)\"")
            return nil
        }
    }

    private mutating func validate(_ entry: ConfigFile.ClassEntry, key: String) -> ClientClass {
        if entry.name.isEmpty { issue("\(key).name", "expected a class name") }
        var ouis = Set<UInt32>()
        for (i, text) in entry.oui.enumerated() {
            if let mac = MACAddress(text + ":00:00:00") { ouis.insert(mac.oui) } else {
                issue("\(key).match.oui[\(i)]", "expected an OUI like 0c:38:3e, got \"\(text)\"")
            }
        }
        var macs = Set<MACAddress>()
        for (i, text) in entry.mac.enumerated() {
            if let mac = MACAddress(text) { macs.insert(mac) } else {
                issue("\(key).match.mac[\(i)]", "expected a MAC like 0c:38:3e:00:00:01, got \"\(text)\"")
            }
        }
        if ouis.isEmpty && macs.isEmpty && entry.vendorClass.isEmpty {
            issue("\(key).match", "expected at least one of oui, vendor_class or mac")
        }
        return ClientClass(
            name: entry.name, ouis: ouis, vendorClassSubstrings: entry.vendorClass, macs: macs,
            options: options(entry.options, key: "\(key).options"), alwaysSend: entry.alwaysSend)
    }

    private mutating func options(_ texts: [String: String], key: String) -> [OptionCode: [UInt8]] {
        var result: [OptionCode: [UInt8]] = [:]
        for (code, value) in texts.sorted(by: { $0.key < $1.key }) {
            switch OptionValue.parse(code: code, value: value, key: "\(key).\(code)") {
            case let .success((option, bytes)): result[option] = bytes
            case let .failure(problem): issues.append(problem)
            }
        }
        return result
    }
}

import DHCPServer
import DHCPv4

extension AutoprovSettings {
    /// What this configuration will do, in plain words, for `check-config`.
    /// `addresses` is the machine's interface table, to say whether each
    /// listed interface can be served.
    public func explanation(addresses: [String: [(address: IPv4Address, prefixLength: Int)]]) -> [String] {
        var lines: [String] = []
        let sync = synchronous == .full
            ? "every grouped commit is flushed to disk, leases survive power loss"
            : "commits survive a crash of autoprov, not of the machine"
        lines.append("Store: SQLite database at \(storePath) (synchronous=\(synchronous.rawValue): \(sync)).")
        lines.append(retentionExplanation)
        lines.append("Log level: \(logLevel.rawValue).")
        guard dhcpEnabled else {
            lines.append("DHCP: disabled (dhcp.enabled is false); no DHCP packets will be answered.")
            return lines + provisioningExplanation()
        }
        let s = dhcp
        if s.interfaces.isEmpty {
            lines.append("DHCP: answering nowhere (no interface with mode serve); observing \(observeInterfaces.count) interface(s):")
        } else {
            lines.append("DHCP: answering on UDP port \(s.port) on \(s.interfaces.count) interface(s), nowhere else:")
        }
        for name in s.interfaces {
            do {
                let binding = try InterfaceAddresses.bindings(for: [name], subnets: s.subnets, addresses: addresses)[0]
                let transport = s.rawInterfaces.contains(name) ? " Raw transport (libpcap): whole frames, unicast to a new client's MAC." : ""
                lines.append("  - \(name): our address \(binding.address) (server identifier), serving subnet \(s.subnets[binding.subnetIndex].name) directly.\(transport)")
            } catch {
                lines.append("  - \(name): NOT READY on this machine: \(error). `serve` will refuse to start.")
            }
        }
        for name in observeInterfaces {
            lines.append("  - \(name): OBSERVE only: never sends; learns phones' addresses from another server's ACKs.")
        }
        if s.interfaces.isEmpty {
            lines.append("Observed phones are learned when a client class below matches them, or when they are in the inventory.")
        } else {
            lines.append("Subnets:")
        }
        for subnet in s.subnets {
            let pools = subnet.pools.map { "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ", ")
            var parts = ["pool \(pools) (\(subnet.poolSize) addresses)", "lease time \(Self.duration(Int(subnet.leaseTime)))"]
            if let router = subnet.router { parts.append("router \(router)") }
            if !subnet.dns.isEmpty { parts.append("DNS \(subnet.dns.map(\.description).joined(separator: ", "))") }
            if !subnet.ntp.isEmpty { parts.append("NTP \(subnet.ntp.map(\.description).joined(separator: ", "))") }
            if let domain = subnet.domain { parts.append("domain \(domain)") }
            lines.append("  - \(subnet.name): " + parts.joined(separator: "; ") + ".")
            let direct = s.interfaces.contains { name in
                (addresses[name] ?? []).contains { subnet.contains($0.address) }
            }
            lines.append(direct
                ? "    Reached directly through a listed interface."
                : "    No listed interface is in it: served only through a DHCP relay whose giaddr lies in it.")
        }
        if s.interfaces.isEmpty {
            // Observe only: no addresses, reservations or offers of ours.
        } else if s.reservations.isEmpty {
            lines.append("Reservations: none.")
        } else {
            lines.append("Reservations (always the same address):")
            for r in s.reservations {
                let overrides = r.options.keys.sorted().map { "option \($0.rawValue)" }
                let tail = overrides.isEmpty ? "" : ", overriding \(overrides.joined(separator: ", "))"
                lines.append("  - \(r.mac) gets \(r.ip)\(tail).")
            }
        }
        if s.classes.isEmpty {
            lines.append("Client classes: none; no client gets provisioning options.")
        } else {
            lines.append("Client classes (first match wins):")
            for (i, c) in s.classes.enumerated() {
                var criteria: [String] = []
                if !c.ouis.isEmpty {
                    let ouis = c.ouis.sorted().map { MACAddress(value: UInt64($0) << 24).description.prefix(8) }
                    criteria.append("MAC OUI \(ouis.joined(separator: " or "))")
                }
                if !c.vendorClassSubstrings.isEmpty {
                    criteria.append("vendor class (option 60) containing \(c.vendorClassSubstrings.map { "\"\($0)\"" }.joined(separator: " or "))")
                }
                if !c.macs.isEmpty { criteria.append("\(c.macs.count) listed MAC(s)") }
                let options = c.options.sorted { $0.key < $1.key }.map { "option \($0.key.rawValue) = \"\(String(decoding: $0.value, as: UTF8.self))\"" }
                let when = c.alwaysSend ? "always sent" : "sent only when the client asks for them (option 55)"
                lines.append("  \(i + 1). \(c.name): matches \(criteria.joined(separator: "; or "))")
                lines.append("     gets \(options.isEmpty ? "no extra options" : options.joined(separator: ", ")) (\(when)).")
            }
            if s.classes.contains(where: { $0.options.values.contains { String(decoding: $0, as: UTF8.self).contains("$mac") } }) {
                lines.append("  `$mac` is sent literally; the phone replaces it with its own MAC.")
            }
        }
        guard !s.interfaces.isEmpty else { return lines + provisioningExplanation() }
        lines.append(s.unknownClients == .serve
            ? "Clients that match no class: get an address, without provisioning options."
            : "Clients that match no class: ignored (no answer, logged as unknown_client).")
        lines.append("Offers are held \(Self.duration(Int(s.offerHold))); declined addresses are quarantined \(Self.duration(Int(s.declineQuarantine))); up to \(s.commitBatch) leases share one commit, and no ACK is sent before its lease is committed; the receive buffer is \(s.receiveBuffer >> 10) KiB.")
        return lines + provisioningExplanation()
    }

    static func duration(_ seconds: Int) -> String {
        if seconds % 86400 == 0 { return "\(seconds) s (\(seconds / 86400) d)" }
        if seconds % 3600 == 0 { return "\(seconds) s (\(seconds / 3600) h)" }
        if seconds % 60 == 0 { return "\(seconds) s (\(seconds / 60) min)" }
        return "\(seconds) s"
    }
}

extension AutoprovSettings {
    /// `store.retention` in one sentence.
    var retentionExplanation: String {
        let age = retention.maxAge > 0 ? "older than \(Int(retention.maxAge / 86_400)) days" : nil
        let count = retention.eventsPerDevice > 0 ? "beyond the newest \(retention.eventsPerDevice) per device" : nil
        let what = [age, count].compactMap { $0 }
        guard !what.isEmpty else { return "History: device and lease events are kept forever (store.retention is 0, 0)." }
        return "History: device and lease events \(what.joined(separator: " or ")) are deleted every \(retention.interval.components.seconds) s."
    }
}

extension ConfigValidator {
    /// `dhcp.interfaces`: names, transports and modes. Returns the served
    /// interfaces in order, those of them on the raw transport, and the
    /// observed ones.
    mutating func validate(
        interfaces entries: [ConfigFile.InterfaceEntry], enabled: Bool
    ) -> (served: [String], raw: Set<String>, observed: [String]) {
        if enabled && entries.isEmpty {
            issue("dhcp.interfaces", "expected at least one interface name when dhcp.enabled is true")
        }
        var served: [String] = []
        var raw: Set<String> = []
        var observed: [String] = []
        var seen: Set<String> = []
        for (i, entry) in entries.enumerated() {
            let key = "dhcp.interfaces[\(i)]"
            let name = entry.name
            if name.isEmpty || name.utf8.count > 15 || name.contains("/") {
                issue(key, "expected an interface name of 1-15 characters, got \"\(name)\"")
            }
            if !seen.insert(name).inserted { issue(key, "interface \(name) is listed twice") }
            switch (entry.mode, entry.transport) {
            case ("serve", "udp"):
                served.append(name)
            case ("serve", "raw"):
                served.append(name)
                raw.insert(name)
            case ("observe", "udp"):
                observed.append(name)
            case ("observe", "raw"):
                issue("\(key).transport", "observe mode never sends, so it has no transport; remove transport: raw")
            case ("serve", _), ("observe", _):
                issue("\(key).transport", "expected udp or raw, got \"\(entry.transport)\"")
            default:
                issue("\(key).mode", "expected serve or observe, got \"\(entry.mode)\"")
            }
        }
        observeInterfaces = observed
        return (served, raw, observed)
    }
}

import DHCPServer
import DHCPv4
import Foundation
import SIPPnP

/// Checks of the `sip_pnp` section.
extension ConfigValidator {
    mutating func validate(_ section: ConfigFile.SIPPnPSection, classes: [ClientClass]) -> SIPPnPSettings {
        let key = "sip_pnp"
        var s = SIPPnPSettings()
        s.enabled = section.enabled
        s.interfaces = section.interfaces
        if section.enabled && section.interfaces.isEmpty {
            issue("\(key).interfaces", "expected at least one interface name when sip_pnp.enabled is true")
        }
        for (i, name) in section.interfaces.enumerated() where name.isEmpty || name.utf8.count > 15 || name.contains("/") {
            issue("\(key).interfaces[\(i)]", "expected an interface name of 1-15 characters, got \"\(name)\"")
        }
        if Set(section.interfaces).count != section.interfaces.count { issue("\(key).interfaces", "an interface is listed twice") }
        if (1...65535).contains(section.port) { s.port = section.port } else {
            issue("\(key).port", "expected a port 1-65535, got \(section.port)")
        }
        if let group = IPv4Address(section.group), group.value >> 28 == 0xE { s.group = group } else {
            issue("\(key).group", "expected an IPv4 multicast address (224.0.0.0/4) like 224.0.1.75, got \"\(section.group)\"")
        }
        s.url = section.url.isEmpty ? Self.firstOption66(classes) ?? "" : section.url
        if section.enabled {
            if s.url.isEmpty {
                issue("\(key).url", "expected a provisioning URL like http://192.0.2.1:8080/$mac.cfg (no dhcp class has option 66 to default to)")
            } else if let url = URL(string: s.url.replacing("$mac", with: "0c383e000000")),
                      ["http", "https", "tftp", "ftp"].contains(url.scheme?.lowercased() ?? ""), url.host != nil,
                      !s.url.contains(where: { $0.isWhitespace || $0.isNewline }) {
                // fine
            } else {
                issue("\(key).url", "expected an http(s)/tftp/ftp URL like http://192.0.2.1:8080/$mac.cfg, got \"\(s.url)\"")
            }
        }
        s.ouis = classes.reduce(into: Set<UInt32>()) { $0.formUnion($1.ouis) }
        s.macs = classes.reduce(into: Set<MACAddress>()) { $0.formUnion($1.macs) }
        return s
    }

    /// Option 66 of the first class that sends one, as text.
    static func firstOption66(_ classes: [ClientClass]) -> String? {
        for c in classes {
            if let bytes = c.options[.tftpServerName], let text = String(validating: bytes, as: UTF8.self), !text.isEmpty {
                return text
            }
        }
        return nil
    }
}

/// The DHCP servers `autoprov export-dhcp` writes autoprov's client classes
/// for, so that an existing server can hand phones option 66 instead of
/// autoprov's own responder. Rendering is pure: classes in, text out.
public enum DHCPSnippetFormat: String, CaseIterable, Sendable {
    /// ISC Kea 2.x (`kea-dhcp4`): a `client-classes` entry for the `Dhcp4` map.
    case kea
    /// dnsmasq: tag-setting and tagged `dhcp-option` lines for dnsmasq.conf.
    case dnsmasq
    /// ISC dhcpd 4.x: `class` declarations for dhcpd.conf.
    case isc

    /// The snippet for `classes`, in order (the first match wins, in every
    /// format). `source` names the config file in the header comment.
    /// Throws when a value cannot be written exactly in this syntax.
    public func render(_ classes: [ClientClass], source: String) throws(DHCPSnippetError) -> String {
        var names = Set<String>()
        for c in classes {
            guard names.insert(c.name).inserted else {
                throw DHCPSnippetError(format: self, className: c.name, subject: "name", reason: "two classes have this name")
            }
            guard !c.ouis.isEmpty || !c.macs.isEmpty || !c.vendorClassAsWritten.isEmpty else {
                throw DHCPSnippetError(format: self, className: c.name, subject: "match", reason: "the class matches nothing")
            }
        }
        return switch self {
        case .kea: try KeaSnippet.render(classes, source: source)
        case .dnsmasq: try DnsmasqSnippet.render(classes, source: source)
        case .isc: try ISCSnippet.render(classes, source: source)
        }
    }
}

/// One server's syntax for client classes.
protocol DHCPSnippet {
    static func render(_ classes: [ClientClass], source: String) throws(DHCPSnippetError) -> String
}

/// A class whose name or value the target syntax cannot carry exactly.
public struct DHCPSnippetError: Error, Equatable, CustomStringConvertible {
    public var format: DHCPSnippetFormat
    public var className: String
    /// What in the class: `option 66`, `vendor_class "x"`, `name`.
    public var subject: String
    public var reason: String

    public init(format: DHCPSnippetFormat, className: String, subject: String, reason: String) {
        self.format = format
        self.className = className
        self.subject = subject
        self.reason = reason
    }

    public var description: String {
        "cannot export to \(format.rawValue): class \"\(SnippetText.commentSafe(className))\", \(subject): \(reason)"
    }
}

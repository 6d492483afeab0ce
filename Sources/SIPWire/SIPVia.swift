/// The topmost `Via` of a request (RFC 3261 §20.42):
/// `SIP/2.0/UDP 10.0.0.7:5060;branch=z9hG4bK1;rport`, and where a UAS sends
/// its responses (§18.2.2 with RFC 3581 `rport`).
public struct SIPVia: Sendable, Hashable {
    /// `UDP`, `TCP`... (upper-cased).
    public var transport: String
    /// The sent-by host and port (nil: the transport's default, 5060).
    public var host: String
    public var port: Int?
    /// Parameters in order, names lower-cased; a flag (`;rport`) has "".
    public var parameters: [(name: String, value: String)]

    public static func == (a: SIPVia, b: SIPVia) -> Bool {
        a.transport == b.transport && a.host == b.host && a.port == b.port
            && a.parameters.map(\.name) == b.parameters.map(\.name) && a.parameters.map(\.value) == b.parameters.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(transport)
        hasher.combine(host)
        hasher.combine(port)
    }

    /// Parses one Via value (the first of a comma list); nil when it is not
    /// `SIP/2.0/<transport> host[:port]`.
    public init?(_ value: String) {
        guard let first = SIPHeaderValue.splitList(value).first else { return nil }
        let pieces = first.split(separator: ";", omittingEmptySubsequences: false)
        let protocolAndHost = pieces[0].split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard protocolAndHost.count == 2 else { return nil }
        let proto = protocolAndHost[0].split(separator: "/")
        guard proto.count == 3, proto[0].uppercased() == "SIP", !proto[2].isEmpty else { return nil }
        transport = proto[2].uppercased()
        let sentBy = protocolAndHost[1]
        if let colon = sentBy.lastIndex(of: ":"), !sentBy.hasSuffix("]") {
            guard let number = Int(sentBy[sentBy.index(after: colon)...]), (1...65535).contains(number) else { return nil }
            host = String(sentBy[..<colon])
            port = number
        } else {
            host = String(sentBy)
            port = nil
        }
        guard !host.isEmpty else { return nil }
        parameters = pieces.dropFirst().compactMap { raw in
            let pair = raw.split(separator: "=", maxSplits: 1)
            guard let name = pair.first?.trimmingSpaces(), !name.isEmpty else { return nil }
            return (name.lowercased(), pair.count == 2 ? pair[1].trimmingSpaces() : "")
        }
    }

    public func parameter(_ name: String) -> String? {
        parameters.first { $0.name == name.lowercased() }?.value
    }

    /// The wire form.
    public var text: String {
        var result = "SIP/2.0/\(transport) \(host)" + (port.map { ":\($0)" } ?? "")
        for (name, value) in parameters { result += value.isEmpty ? ";\(name)" : ";\(name)=\(value)" }
        return result
    }

    /// What a server transport adds on receipt (§18.2.1, RFC 3581 §4):
    /// `received` when sent-by is not the source address, and the source
    /// port into an empty `rport`.
    public func stamped(sourceHost: String, sourcePort: Int) -> SIPVia {
        var via = self
        via.parameters.removeAll { $0.name == "received" }
        if host != sourceHost || parameter("rport") != nil {
            if let index = via.parameters.firstIndex(where: { $0.name == "branch" }) {
                via.parameters.insert(("received", sourceHost), at: index + 1)
            } else {
                via.parameters.append(("received", sourceHost))
            }
        }
        if let index = via.parameters.firstIndex(where: { $0.name == "rport" }) {
            via.parameters[index].value = String(sourcePort)
        }
        return via
    }

    /// Where the response to a request that arrived over UDP from
    /// `sourceHost:sourcePort` goes (§18.2.2, RFC 3581 §4): the source
    /// address (what `received` holds); the source port when `rport` was
    /// asked for, else the sent-by port, else 5060. `maddr` is not followed:
    /// a response never goes anywhere the request did not come from.
    public func responseDestination(sourceHost: String, sourcePort: Int) -> (host: String, port: Int) {
        if parameter("rport") != nil { return (sourceHost, sourcePort) }
        return (sourceHost, port ?? 5060)
    }
}

extension SIPMessage {
    /// The topmost Via, parsed.
    public var topVia: SIPVia? { headers["Via"].flatMap(SIPVia.init) }
}

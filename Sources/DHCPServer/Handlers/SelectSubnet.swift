import DHCPv4

/// Chooses the subnet: by giaddr for relayed requests (RFC 2131 §4.3.1),
/// else the subnet of the interface the request came in on.
struct SelectSubnet: DHCPHandler {
    func handle(_ context: inout RequestContext, table: inout LeaseTable, settings: ServerSettings) -> HandlerResult {
        let giaddr = context.request.giaddr
        if giaddr.isUnspecified {
            context.subnetIndex = context.interface.subnetIndex
            return .next
        }
        guard let index = settings.subnetIndex(containing: giaddr) else {
            return .drop(.noSubnet, "giaddr \(giaddr) is in no configured subnet")
        }
        if index == context.interface.subnetIndex {
            // A relay's giaddr is on the client's network, never on the
            // network we are attached to: this is a spoof to reach a pool.
            return .drop(.spoofedRelay, "giaddr \(giaddr) lies in the subnet directly attached to \(context.interface.name)")
        }
        context.subnetIndex = index
        return .next
    }
}

import DHCPv4

/// Chooses the subnet: by giaddr for relayed requests (RFC 2131 §4.3.1),
/// else the subnet of the interface the request came in on.
///
/// A giaddr is trusted only as far as the protocol allows checking it: a
/// relay increments `hops` (RFC 1542 §4.1.1), so giaddr with hops 0 was not
/// forwarded by any relay; and our own address is never a relay's. Both are
/// dropped as spoofed relays.
struct SelectSubnet: DHCPHandler {
    func handle(_ context: inout RequestContext, table: inout LeaseTable, settings: ServerSettings) -> HandlerResult {
        let giaddr = context.request.giaddr
        if giaddr.isUnspecified {
            context.subnetIndex = context.interface.subnetIndex
            return .next
        }
        guard context.request.hops > 0 else {
            return .drop(.spoofedRelay, "giaddr \(giaddr) set but hops is 0: no relay forwarded this request")
        }
        guard giaddr != context.interface.address else {
            return .drop(.spoofedRelay, "giaddr \(giaddr) is our own address on \(context.interface.name)")
        }
        guard let index = settings.subnetIndex(containing: giaddr) else {
            return .drop(.noSubnet, "giaddr \(giaddr) is in no configured subnet")
        }
        context.subnetIndex = index
        return .next
    }
}

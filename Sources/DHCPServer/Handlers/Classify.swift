import DHCPv4

/// Finds the client's class (first match) and reservation; applies the
/// unknown-client policy.
struct Classify: DHCPHandler {
    func handle(_ context: inout RequestContext, table: inout LeaseTable, settings: ServerSettings) -> HandlerResult {
        context.clientClass = settings.clientClass(mac: context.mac, vendorClass: context.request.vendorClassIdentifier)
        context.reservation = settings.reservation(for: context.mac)
        if context.clientClass == nil && context.reservation == nil && settings.unknownClients == .ignore {
            return .drop(.unknownClient, "no class matches \(context.mac) and unknown_clients is ignore")
        }
        return .next
    }
}

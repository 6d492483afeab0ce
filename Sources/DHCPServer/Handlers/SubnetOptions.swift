import DHCPv4

/// Adds the subnet's options to OFFER and ACK: mask, router, DNS, domain,
/// broadcast, NTP, and for address leases the lease time with T1/T2
/// (RFC 2131 §4.4.5: 50 % and 87.5 %).
struct SubnetOptions: DHCPHandler {
    func handle(_ context: inout RequestContext, table: inout LeaseTable, settings: ServerSettings) -> HandlerResult {
        guard var reply = context.reply, let index = context.subnetIndex,
              reply.messageType == .offer || reply.messageType == .ack else { return .next }
        let subnet = settings.subnets[index]
        reply.options.set(.subnetMask, ipv4: subnet.mask)
        reply.options.set(.broadcastAddress, ipv4: subnet.broadcast)
        if let router = subnet.router { reply.options.set(.router, ipv4: router) }
        if !subnet.dns.isEmpty { reply.options.set(.domainNameServer, ipv4List: subnet.dns) }
        if !subnet.ntp.isEmpty { reply.options.set(.ntpServers, ipv4List: subnet.ntp) }
        if let domain = subnet.domain { reply.options.set(.domainName, string: domain) }
        if let leaseTime = context.leaseTime {
            reply.options.set(.leaseTime, uint32: leaseTime)
            reply.options.set(.renewalTime, uint32: leaseTime / 2)
            reply.options.set(.rebindingTime, uint32: UInt32(UInt64(leaseTime) * 7 / 8))
        }
        context.reply = reply
        return .next
    }
}

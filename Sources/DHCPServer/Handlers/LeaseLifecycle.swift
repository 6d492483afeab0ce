import DHCPv4
import Store

/// The lease state machine of RFC 2131 §4.3: DISCOVER → OFFER (held),
/// REQUEST (selecting, init-reboot, renewing, rebinding) → ACK or NAK,
/// DECLINE, RELEASE, INFORM.
struct LeaseLifecycle: DHCPHandler {
    func handle(_ context: inout RequestContext, table: inout LeaseTable, settings: ServerSettings) -> HandlerResult {
        guard let subnetIndex = context.subnetIndex else { return .drop(.noSubnet, "no subnet selected") }
        let subnet = settings.subnets[subnetIndex]
        switch context.type {
        case .discover: return discover(&context, &table, settings, subnet, subnetIndex)
        case .request: return request(&context, &table, settings, subnet)
        case .decline: return decline(&context, &table, settings)
        case .release: return release(&context, &table)
        case .inform: return inform(&context, subnet)
        default: return .drop(.unsupportedMessageType, "type \(context.type)")
        }
    }

    /// RFC 2131 §4.3.5: the ACK goes unicast to ciaddr. It is sent only when
    /// ciaddr lies in the subnet the INFORM came for (the interface's, or the
    /// relay's giaddr subnet); any other ciaddr is a reflection attempt and
    /// is dropped. A zero ciaddr is answered: its ACK is broadcast on the
    /// link (or sent to the checked relay), so it can reach no one else.
    private func inform(_ context: inout RequestContext, _ subnet: Subnet) -> HandlerResult {
        let ciaddr = context.request.ciaddr
        guard ciaddr.isUnspecified || subnet.contains(ciaddr) else {
            return .drop(.informForeignCiaddr, "ciaddr \(ciaddr) outside \(subnet.name): INFORM from \(context.mac)")
        }
        context.reply = reply(context, .ack)
        context.reply?.ciaddr = ciaddr
        return .next
    }

    private func reply(_ context: RequestContext, _ type: MessageType) -> DHCPMessage {
        DHCPMessage.reply(to: context.request, type: type, serverIdentifier: context.interface.address)
    }

    /// The address this client should have in `subnet`: its reservation,
    /// else its current or previous lease, else a free one.
    private func choose(
        _ context: RequestContext, _ table: inout LeaseTable, _ subnet: Subnet, _ subnetIndex: Int
    ) -> IPv4Address? {
        if let reservation = context.reservation, subnet.contains(reservation.ip),
           table.isAvailable(reservation.ip, for: context.mac, now: context.now) {
            return reservation.ip
        }
        return table.allocate(in: subnet, subnetIndex: subnetIndex, for: context.mac, now: context.now)
    }

    private func discover(
        _ context: inout RequestContext, _ table: inout LeaseTable, _ settings: ServerSettings,
        _ subnet: Subnet, _ subnetIndex: Int
    ) -> HandlerResult {
        guard let ip = choose(context, &table, subnet, subnetIndex) else {
            return .drop(.poolExhausted, "no free address in \(subnet.name) for \(context.mac)")
        }
        // A client that already holds a bound lease keeps it bound; otherwise
        // the address is held (in memory only) for the offer.
        let current = table.lease(at: ip)
        let alreadyBound = current?.mac == context.mac && current?.state == .bound
            && (current?.expires ?? 0) > context.now
        if !alreadyBound {
            table.put(lease(context, ip, subnet, .offered, expires: context.now + settings.offerHold))
        }
        var offer = reply(context, .offer)
        offer.yiaddr = ip
        context.reply = offer
        context.leaseTime = subnet.leaseTime
        return .next
    }

    private func request(
        _ context: inout RequestContext, _ table: inout LeaseTable, _ settings: ServerSettings, _ subnet: Subnet
    ) -> HandlerResult {
        let request = context.request
        let ip: IPv4Address
        if let serverID = request.serverIdentifier {
            // SELECTING: the client chose a server.
            guard serverID == context.interface.address else {
                if let held = table.lease(for: context.mac), held.state == .offered {
                    var freed = held
                    freed.state = .released
                    table.put(freed)
                }
                return .drop(.wrongServerID, "\(context.mac) chose server \(serverID)")
            }
            guard let requested = request.requestedIPAddress else { return nak(&context, "no requested address") }
            ip = requested
        } else if let requested = request.requestedIPAddress {
            // INIT-REBOOT: verify the remembered address.
            ip = requested
        } else if !request.ciaddr.isUnspecified {
            // RENEWING (unicast) or REBINDING (broadcast).
            ip = request.ciaddr
        } else {
            return nak(&context, "REQUEST with neither server id, requested address nor ciaddr")
        }
        guard subnet.contains(ip) else { return nak(&context, "\(ip) is not in \(subnet.name)") }
        let reserved = context.reservation.map { $0.ip == ip && subnet.contains($0.ip) } ?? false
        guard reserved || subnet.inPool(ip) else { return nak(&context, "\(ip) is outside the pools of \(subnet.name)") }
        if let reservation = context.reservation, subnet.contains(reservation.ip), reservation.ip != ip {
            return nak(&context, "\(context.mac) has reservation \(reservation.ip)")
        }
        guard table.isAvailable(ip, for: context.mac, now: context.now) else {
            return nak(&context, "\(ip) is held by another client")
        }
        let existing = table.lease(at: ip)
        let renewal = existing?.mac == context.mac && existing?.state == .bound
        if let previous = releasePrevious(context, &table, keeping: ip) { context.leases.append(previous) }
        let bound = lease(context, ip, subnet, .bound, expires: context.now + Int64(subnet.leaseTime))
        table.put(bound)
        context.leases.append(bound)
        context.events.append(LeaseEvent(
            time: Double(context.now), kind: renewal ? .renewed : .leased, mac: context.mac, ip: ip,
            className: context.clientClass?.name))
        var ack = reply(context, .ack)
        ack.yiaddr = ip
        ack.ciaddr = request.ciaddr
        context.reply = ack
        context.leaseTime = subnet.leaseTime
        return .next
    }

    /// When a client binds a new address, a bound lease it held elsewhere
    /// in the table is released (one bound address per client).
    private func releasePrevious(_ context: RequestContext, _ table: inout LeaseTable, keeping ip: IPv4Address) -> Lease? {
        guard var previous = table.lease(for: context.mac), previous.ip != ip, previous.state == .bound else {
            return nil
        }
        previous.state = .released
        previous.updated = context.now
        table.put(previous)
        return previous
    }

    private func nak(_ context: inout RequestContext, _ why: String) -> HandlerResult {
        var nak = reply(context, .nak)
        nak.flags |= DHCPMessage.broadcastFlag
        nak.options.set(.message, string: why)
        context.reply = nak
        return .done
    }

    private func decline(
        _ context: inout RequestContext, _ table: inout LeaseTable, _ settings: ServerSettings
    ) -> HandlerResult {
        guard let ip = context.request.requestedIPAddress,
              context.request.serverIdentifier == context.interface.address,
              let held = table.lease(at: ip), held.mac == context.mac else {
            return .drop(.notOurLease, "DECLINE from \(context.mac) for an address we did not give it")
        }
        end(held, as: .declined, until: context.now + settings.declineQuarantine, .declined, &context, &table)
        return .done
    }

    private func release(_ context: inout RequestContext, _ table: inout LeaseTable) -> HandlerResult {
        let ip = context.request.ciaddr
        guard let held = table.lease(at: ip), held.mac == context.mac, held.state == .bound else {
            return .drop(.notOurLease, "RELEASE from \(context.mac) for \(ip), which it does not hold")
        }
        end(held, as: .released, until: held.expires, .released, &context, &table)
        return .done
    }

    /// Ends a client's hold on `lease` (declined or released): updates the
    /// table, and queues the row and its event for the commit.
    private func end(
        _ lease: Lease, as state: LeaseState, until expires: Int64, _ kind: LeaseEvent.Kind,
        _ context: inout RequestContext, _ table: inout LeaseTable
    ) {
        var ended = lease
        ended.state = state
        ended.expires = expires
        ended.updated = context.now
        table.put(ended)
        context.leases.append(ended)
        context.events.append(LeaseEvent(
            time: Double(context.now), kind: kind, mac: context.mac, ip: lease.ip, className: lease.className))
    }

    private func lease(
        _ context: RequestContext, _ ip: IPv4Address, _ subnet: Subnet, _ state: LeaseState, expires: Int64
    ) -> Lease {
        Lease(
            ip: ip, mac: context.mac, clientID: context.request.clientIdentifier, state: state, subnet: subnet.name,
            className: context.clientClass?.name, hostname: context.request.hostName ?? context.reservation?.hostname,
            expires: expires, updated: context.now)
    }
}

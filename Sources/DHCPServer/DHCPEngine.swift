import DHCPv4
import Store
import Synchronization

/// The protocol logic, transport-free: a request in, an outcome out. Runs
/// the handler chain under one lock over the in-memory lease table and the
/// settings (which `reload` swaps between two requests, see DHCPEngine+Reload).
public final class DHCPEngine: Sendable {
    struct State {
        var table: LeaseTable
        var settings: ServerSettings
    }

    let state: Mutex<State>
    /// The settings the next request is handled with.
    public var settings: ServerSettings { state.withLock { $0.settings } }
    private let chain: [any DHCPHandler] = [
        ValidateRequest(), SelectSubnet(), Classify(), LeaseLifecycle(), SubnetOptions(), ProvisioningOptions(),
    ]

    /// `leases` other servers granted (origin `observed`, observe mode) are
    /// left out: they are not ours to renew, expire or count.
    public init(settings: ServerSettings, leases: [Lease]) {
        state = Mutex(State(
            table: LeaseTable(leases: leases.filter { $0.origin != .observed }, reservations: settings.reservations),
            settings: settings))
    }

    /// Decodes and handles one datagram.
    public func handle(datagram: [UInt8], on interface: InterfaceBinding, now: Int64) -> DHCPOutcome {
        let request: DHCPMessage
        do {
            request = try DHCPMessage.decode(datagram)
        } catch {
            return .dropped(.malformed, error.description)
        }
        return handle(request, on: interface, now: now)
    }

    public func handle(_ request: DHCPMessage, on interface: InterfaceBinding, now: Int64) -> DHCPOutcome {
        guard request.op == .bootRequest else { return .dropped(.notARequest, "op is BOOTREPLY") }
        guard let type = request.messageType else { return .dropped(.noMessageType, "no option 53") }
        guard let mac = request.clientMAC else {
            return .dropped(.unsupportedHardware, "htype \(request.htype) hlen \(request.hlen) is not Ethernet")
        }
        var context = RequestContext(request: request, interface: interface, now: now, mac: mac, type: type)
        let (dropped, port, undo): (DHCPOutcome?, Int, [LeaseUndo]) = state.withLock { state in
            state.table.beginJournal()
            let dropped = runChain(&context, &state)
            return (dropped.map { .dropped($0.reason, $0.detail, type: type) }, state.settings.port, state.table.endJournal())
        }
        if let dropped { return dropped }
        let reply = context.reply.map {
            ($0, ReplyDestination.forReply($0, to: request, serverPort: port))
        }
        return DHCPOutcome(
            reply: reply, leases: context.leases, events: context.events, drop: nil, requestType: type,
            undo: context.leases.isEmpty ? [] : undo)
    }

    private func runChain(_ context: inout RequestContext, _ state: inout State) -> (reason: DropReason, detail: String)? {
        for handler in chain {
            switch handler.handle(&context, table: &state.table, settings: state.settings) {
            case .next: continue
            case .done: return nil
            case let .drop(reason, detail): return (reason, detail)
            }
        }
        return nil
    }

    /// Undoes the table changes of requests that will never be committed
    /// (the commit queue refused them, or the commit failed), newest first.
    /// An address changed again since (a retransmission answered meanwhile)
    /// is left as it is.
    public func withdraw(_ pending: [PendingCommit]) {
        state.withLock { state in
            for commit in pending.reversed() {
                for undo in commit.undo.reversed() {
                    guard let changed = commit.leases.last(where: { $0.ip == undo.ip }),
                          state.table.lease(at: undo.ip) == changed else { continue }
                    state.table.restore(undo)
                }
            }
        }
    }

    /// Applies a change made outside the server (an admin release) to the table.
    /// An observed lease (another server's) is ignored.
    public func apply(external lease: Lease) {
        guard lease.origin != .observed else { return }
        state.withLock { $0.table.put(lease) }
    }

    /// Marks bound leases past their expiry as expired; returns them and
    /// their events for the caller to commit.
    public func expire(now: Int64) -> (leases: [Lease], events: [LeaseEvent]) {
        let leases = state.withLock { $0.table.expire(now: now) }
        let events = leases.map {
            LeaseEvent(time: Double(now), kind: .expired, mac: $0.mac, ip: $0.ip, className: $0.className)
        }
        return (leases, events)
    }

    /// Per subnet (in settings order): bound leases, those of them in the
    /// pools, and the pools' size.
    public func occupancy(now: Int64) -> [(bound: Int, inPool: Int, poolSize: Int)] {
        state.withLock { state in
            state.settings.subnets.map {
                let (bound, inPool) = state.table.occupancy(of: $0, now: now)
                return (bound, inPool, $0.poolSize)
            }
        }
    }

    /// Bound leases per subnet at `now`.
    public func boundCounts(now: Int64) -> [String: Int] {
        state.withLock { state in
            Dictionary(uniqueKeysWithValues: state.settings.subnets.map { ($0.name, state.table.bound(in: $0, now: now)) })
        }
    }
}

import DHCPObserver
import DHCPServer
import DHCPv4
import Store
import Testing

/// Observe mode's learning: DHCP messages of another server in, observed
/// leases and events out.
@Suite struct LeaseLearnerTests {
    static let phone = MACAddress("0c:38:3e:10:00:01")!
    static let laptop = MACAddress("02:00:00:aa:00:01")!
    static let server = IPv4Address("10.77.0.1")!
    static let fanvil = ClientClass(name: "fanvil", ouis: [0x0C383E])

    static func learner(inventory: Set<MACAddress> = []) -> LeaseLearner {
        LeaseLearner(filter: ObserveFilter(classes: [fanvil]) { inventory.contains($0) })
    }

    /// A server's ACK: yiaddr, options 1, 51, 54 as dnsmasq sends them.
    static func ack(_ mac: MACAddress = phone, ip: String = "10.78.0.57", xid: UInt32 = 0x1234, lease: UInt32? = 600) -> DHCPMessage {
        var m = DHCPMessage(op: .bootReply, xid: xid)
        m.clientMAC = mac
        m.messageType = .ack
        m.yiaddr = IPv4Address(ip)!
        m.giaddr = IPv4Address("10.78.0.1")!
        m.options.set(.subnetMask, ipv4: IPv4Address("255.255.255.0")!)
        m.options.set(.serverIdentifier, ipv4: server)
        if let lease { m.options.set(.leaseTime, uint32: lease) }
        return m
    }

    static func request(_ type: MessageType, _ mac: MACAddress = phone, ciaddr: String? = nil, requested: String? = nil, vendor: String? = nil) -> DHCPMessage {
        var m = DHCPMessage(op: .bootRequest, xid: 0x99)
        m.clientMAC = mac
        m.messageType = type
        if let ciaddr { m.ciaddr = IPv4Address(ciaddr)! }
        if let requested { m.options.set(.requestedIPAddress, ipv4: IPv4Address(requested)!) }
        if let vendor { m.options.set(.vendorClassIdentifier, string: vendor) }
        return m
    }

    @Test func anACKForAFanvilPhoneIsABoundObservedLeaseAndALeasedEvent() {
        var learner = Self.learner()
        let result = learner.observe(Self.ack(), source: IPv4Address("10.77.0.9"), at: 1_000)
        #expect(result.ignored == nil)
        #expect(result.leases == [Lease(
            ip: IPv4Address("10.78.0.57")!, mac: Self.phone, state: .bound, subnet: "10.78.0.0/24", className: "fanvil",
            expires: 1_600, updated: 1_000, origin: .observed, server: Self.server)])
        #expect(result.events == [LeaseEvent(
            time: 1_000, kind: .leased, mac: Self.phone, ip: IPv4Address("10.78.0.57")!, className: "fanvil", origin: .observed)])
        #expect(learner.bound[Self.phone]?.ip == IPv4Address("10.78.0.57"))
    }

    @Test func theSameACKSeenTwiceOrRetransmittedIsLearnedOnce() {
        var learner = Self.learner()
        #expect(learner.observe(Self.ack(), at: 1_000).events.count == 1)
        #expect(learner.observe(Self.ack(), at: 1_000).ignored == .duplicate)
        #expect(learner.observe(Self.ack(), at: 1_030).ignored == .duplicate)  // same xid, within a minute
        #expect(learner.observe(Self.ack(xid: 0x5678), at: 1_001).ignored == .duplicate)  // another xid within the debounce
    }

    @Test func aLaterACKOfTheSameAddressIsARenewalWithANewExpiry() {
        var learner = Self.learner()
        _ = learner.observe(Self.ack(), at: 1_000)
        let renewal = learner.observe(Self.ack(xid: 0x5678), at: 1_300)
        #expect(renewal.events.map(\.kind) == [.renewed])
        #expect(renewal.leases.first?.expires == 1_900)
    }

    @Test func aForgottenLeaseComesBackAsANewLeaseNotARenewal() {
        // What observe mode does when an admin released the lease meanwhile.
        var learner = Self.learner()
        _ = learner.observe(Self.ack(), at: 1_000)
        learner.forget(Self.phone)
        #expect(learner.bound[Self.phone] == nil)
        #expect(learner.observe(Self.ack(xid: 0x5678), at: 1_300).events.map(\.kind) == [.leased])
    }

    @Test func aPhoneThatMovesEndsItsOldAddress() {
        var learner = Self.learner()
        _ = learner.observe(Self.ack(), at: 1_000)
        let moved = learner.observe(Self.ack(ip: "10.78.0.58", xid: 7), at: 1_100)
        #expect(moved.events.map(\.kind) == [.expired, .leased])
        #expect(moved.events.map(\.ip) == [IPv4Address("10.78.0.57")!, IPv4Address("10.78.0.58")!])
        #expect(moved.leases.map(\.state) == [.expired, .bound])
    }

    @Test func aClientNoClassMatchesIsNotLearned() {
        var learner = Self.learner()
        #expect(learner.observe(Self.ack(Self.laptop), at: 1_000) == .ignored(.unmatched))
        #expect(learner.bound.isEmpty)
    }

    @Test func theInventoryOrTheClientsOwnVendorClassAlsoCount() {
        var byInventory = Self.learner(inventory: [Self.laptop])
        let known = byInventory.observe(Self.ack(Self.laptop), at: 1_000)
        #expect(known.events.map(\.kind) == [.leased] && known.events.first?.className == nil)

        var byVendor = LeaseLearner(filter: ObserveFilter(classes: [ClientClass(name: "v", vendorClassSubstrings: ["fanvil"])]))
        _ = byVendor.observe(Self.request(.request, Self.laptop, vendor: "Fanvil X4"), at: 999)
        #expect(byVendor.observe(Self.ack(Self.laptop), at: 1_000).events.first?.className == "v")
    }

    @Test func releaseDeclineAndNAKEndALearnedLease() {
        for (message, kind, state) in [
            (Self.request(.release, ciaddr: "10.78.0.57"), LeaseEvent.Kind.released, LeaseState.released),
            (Self.request(.decline, requested: "10.78.0.57"), .declined, .declined),
            ({ var m = DHCPMessage(op: .bootReply, xid: 3); m.clientMAC = Self.phone; m.messageType = .nak; return m }(), .expired, .expired),
        ] {
            var learner = Self.learner()
            _ = learner.observe(Self.ack(), at: 1_000)
            let ended = learner.observe(message, at: 1_010)
            #expect(ended.events.map(\.kind) == [kind])
            #expect(ended.events.first?.origin == .observed)
            #expect(ended.leases.map(\.state) == [state])
            #expect(learner.bound.isEmpty)
            // Then the same ACK again is a new lease, not a duplicate.
            #expect(learner.observe(Self.ack(), at: 1_011).events.map(\.kind) == [.leased])
        }
        var learner = Self.learner()
        #expect(learner.observe(Self.request(.release, ciaddr: "10.78.0.57"), at: 1).ignored == .unknownLease)
    }

    @Test func anACKWithoutAnAddressOrARequestTeachesNothing() {
        var learner = Self.learner()
        #expect(learner.observe(Self.ack(ip: "0.0.0.0"), at: 1).ignored == .noAddress)
        #expect(learner.observe(Self.request(.discover), at: 1).ignored == .other)
    }

    @Test func expiredLeasesEndAtTheSweepAndRestartsKeepTheRest() {
        var learner = Self.learner()
        _ = learner.observe(Self.ack(lease: 60), at: 1_000)
        _ = learner.observe(Self.ack(MACAddress("0c:38:3e:10:00:02")!, ip: "10.78.0.60", lease: nil), at: 1_000)
        #expect(learner.expire(now: 1_059).events.isEmpty)
        let swept = learner.expire(now: 1_060)
        #expect(swept.events.map(\.kind) == [.expired] && swept.events.first?.ip == IPv4Address("10.78.0.57"))
        // A restart: only the bound observed rows are picked up.
        let own = Lease(ip: IPv4Address("10.78.0.70")!, mac: Self.phone, state: .bound, subnet: "x", expires: 9_999, updated: 1)
        let restarted = LeaseLearner(filter: ObserveFilter(classes: [Self.fanvil]), leases: swept.leases + [own] + [learner.bound.values.first!])
        #expect(restarted.bound.keys.map { $0 } == [MACAddress("0c:38:3e:10:00:02")!])
        let anHourOn: Int64 = 1_000 + 3_600  // no option 51: an hour
        #expect(restarted.bound[MACAddress("0c:38:3e:10:00:02")!]?.expires == anHourOn)
    }

    @Test(arguments: [("255.255.255.0", "10.78.0.0/24"), ("255.255.0.0", "10.78.0.0/16"), ("255.0.255.0", "10.78.0.57/32")])
    func theSubnetComesFromOption1(mask: String, subnet: String) {
        var learner = Self.learner()
        var ack = Self.ack()
        ack.options.set(.subnetMask, ipv4: IPv4Address(mask)!)
        #expect(learner.observe(ack, at: 1).leases.first?.subnet == subnet)
    }
}

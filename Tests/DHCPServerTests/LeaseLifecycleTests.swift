import DHCPServer
import DHCPv4
import Store
import Testing

@Suite struct LeaseLifecycleTests {
    let engine = DHCPEngine(settings: Lab.settings(), leases: [])

    @Test func discoverGetsAnOfferFromThePoolWithOption66Literal() throws {
        let outcome = engine.handle(Lab.message(.discover, Lab.fanvil), on: Lab.interface, now: 100)
        let offer = try #require(outcome.reply?.message)
        #expect(offer.messageType == .offer)
        #expect(offer.yiaddr == IPv4Address("192.0.2.100"))
        #expect(offer.options.string(.tftpServerName) == "http://192.0.2.1:8080/$mac.cfg")
        #expect(offer.options.string(.vendorSpecific) == "http://192.0.2.1:8080/$mac.cfg")
        #expect(offer.sname.allSatisfy { $0 == 0 }, "option 66 must never go in sname")
        #expect(offer.serverIdentifier == Lab.server)
        #expect(offer.options.uint32(.leaseTime) == 600)
        #expect(offer.options.uint32(.renewalTime) == 300)
        #expect(offer.options.uint32(.rebindingTime) == 525)
        #expect(offer.options.ipv4(.subnetMask) == IPv4Address("255.255.255.0"))
        #expect(offer.options.ipv4(.router) == Lab.server)
        #expect(outcome.leases.isEmpty, "an offer is a hold in memory, not a commit")
        // No address yet, broadcast bit clear: unicast to chaddr at yiaddr (RFC 2131 §4.1).
        #expect(outcome.reply?.destination == ReplyDestination(
            address: IPv4Address("192.0.2.100")!, port: 68, link: .hardware(Lab.fanvil)))
    }

    @Test func nonFanvilClientGetsAnAddressWithoutProvisioningOptions() throws {
        let ack = try #require(Client(engine: engine).dora(Lab.other).ack.reply?.message)
        #expect(ack.messageType == .ack)
        #expect(ack.options[.tftpServerName] == nil)
        #expect(ack.options[.vendorSpecific] == nil)
    }

    @Test func vendorClassMatchesWhenTheOUIDoesNot() throws {
        var discover = Lab.message(.discover, Lab.other)
        discover.options.set(.vendorClassIdentifier, string: "Fanvil X6U")
        let offer = try #require(engine.handle(discover, on: Lab.interface, now: 1).reply?.message)
        #expect(offer.options.string(.tftpServerName) == Lab.url)
    }

    @Test func unknownClientsAreIgnoredWhenConfigured() {
        let strict = DHCPEngine(settings: Lab.settings(unknown: .ignore), leases: [])
        let outcome = strict.handle(Lab.message(.discover, Lab.other), on: Lab.interface, now: 1)
        #expect(outcome.reply == nil)
        #expect(outcome.drop?.reason == .unknownClient)
        #expect(strict.handle(Lab.message(.discover, Lab.fanvil), on: Lab.interface, now: 1).reply != nil)
    }

    @Test func classOptionsNotRequestedAreSentOnlyWithAlwaysSend() throws {
        let polite = DHCPEngine(settings: Lab.settings(alwaysSend: false), leases: [])
        let silent = try #require(polite.handle(Lab.message(.discover, Lab.fanvil), on: Lab.interface, now: 1).reply)
        #expect(silent.message.options[.tftpServerName] == nil)
        let asked = try #require(polite.handle(
            Lab.message(.discover, Lab.fanvil, prl: [1, 3, 66]), on: Lab.interface, now: 1).reply)
        #expect(asked.message.options.string(.tftpServerName) == Lab.url)
        #expect(asked.message.options[.vendorSpecific] == nil)
    }

    @Test func selectingRequestIsAckedWithALeaseToCommitAndAnEvent() throws {
        let (_, ack) = Client(engine: engine).dora(Lab.fanvil)
        let reply = try #require(ack.reply?.message)
        #expect(reply.messageType == .ack)
        #expect(reply.yiaddr == IPv4Address("192.0.2.100"))
        #expect(ack.leases.count == 1)
        #expect(ack.leases.first?.state == .bound)
        #expect(ack.leases.first?.mac == Lab.fanvil)
        #expect(ack.leases.first?.className == "fanvil")
        #expect(ack.leases.first?.expires == Int64(1_000_000 + 600))
        #expect(ack.events.map(\.kind) == [.leased])
    }

    @Test func requestForAnotherServerFreesTheOfferSilently() throws {
        let offer = try #require(engine.handle(Lab.message(.discover, Lab.fanvil), on: Lab.interface, now: 1).reply)
        let outcome = engine.handle(
            Lab.message(.request, Lab.fanvil, requested: offer.message.yiaddr, serverID: IPv4Address("192.0.2.254")!),
            on: Lab.interface, now: 1)
        #expect(outcome.reply == nil)
        #expect(outcome.drop?.reason == .wrongServerID)
        // Fresh addresses go first; once they are gone, the freed one is handed out.
        let client = Client(engine: engine, now: 2)
        let others = [Lab.other, Lab.fanvil2, Lab.reserved.with(last: 0x77)].compactMap {
            client.dora($0).ack.reply?.message.yiaddr
        }
        #expect(others.count == 3)
        #expect(others.contains(offer.message.yiaddr), "the freed address is handed out again")
    }

    @Test func offeredAddressIsHeldForItsClient() throws {
        let first = try #require(engine.handle(Lab.message(.discover, Lab.fanvil), on: Lab.interface, now: 1).reply)
        let second = try #require(engine.handle(Lab.message(.discover, Lab.other), on: Lab.interface, now: 2).reply)
        #expect(first.message.yiaddr != second.message.yiaddr)
    }

    @Test func sameMACGetsTheSameAddressBack() throws {
        let client = Client(engine: engine)
        let first = try #require(client.dora(Lab.fanvil).ack.reply?.message.yiaddr)
        _ = client.dora(Lab.other)
        let again = try #require(client.dora(Lab.fanvil).ack.reply?.message.yiaddr)
        #expect(first == again)
        let release = engine.handle(Lab.message(.release, Lab.fanvil, ciaddr: first), on: Lab.interface, now: 1_000_001)
        #expect(release.leases.first?.state == .released)
        #expect(release.events.map(\.kind) == [.released])
        #expect(client.dora(Lab.fanvil).ack.reply?.message.yiaddr == first)
    }

    @Test func renewingIsAckedByUnicastToCiaddr() throws {
        let client = Client(engine: engine)
        let ip = try #require(client.dora(Lab.fanvil).ack.reply?.message.yiaddr)
        let renew = engine.handle(Lab.message(.request, Lab.fanvil, ciaddr: ip), on: Lab.interface, now: 1_000_300)
        let ack = try #require(renew.reply)
        #expect(ack.message.messageType == .ack)
        #expect(ack.message.yiaddr == ip)
        #expect(ack.destination == ReplyDestination(address: ip, port: 68))
        #expect(renew.events.map(\.kind) == [.renewed])
        #expect(renew.leases.first?.expires == Int64(1_000_300 + 600))
    }

    @Test func renewingAnAddressHeldByAnotherClientIsNaked() throws {
        let client = Client(engine: engine)
        let ip = try #require(client.dora(Lab.fanvil).ack.reply?.message.yiaddr)
        let renew = engine.handle(Lab.message(.request, Lab.other, ciaddr: ip), on: Lab.interface, now: 1_000_001)
        #expect(renew.reply?.message.messageType == .nak)
        #expect(renew.reply?.destination.address == .broadcast)
        #expect(renew.leases.isEmpty)
    }

    @Test func initRebootIsAckedForItsOwnAddressAndNakedOffSubnet() throws {
        let client = Client(engine: engine)
        let ip = try #require(client.dora(Lab.fanvil).ack.reply?.message.yiaddr)
        let reboot = engine.handle(Lab.message(.request, Lab.fanvil, requested: ip), on: Lab.interface, now: 1_000_010)
        #expect(reboot.reply?.message.messageType == .ack)
        let moved = engine.handle(
            Lab.message(.request, Lab.fanvil, requested: IPv4Address("203.0.113.5")!), on: Lab.interface, now: 1_000_010)
        #expect(moved.reply?.message.messageType == .nak)
        #expect(moved.reply?.message.options.string(.message)?.contains("203.0.113.5") == true)
    }

    @Test func declinedAddressIsQuarantinedAndAnotherOffered() throws {
        let client = Client(engine: engine)
        let ip = try #require(client.dora(Lab.fanvil).ack.reply?.message.yiaddr)
        let decline = engine.handle(
            Lab.message(.decline, Lab.fanvil, requested: ip, serverID: Lab.server), on: Lab.interface, now: 1_000_001)
        #expect(decline.reply == nil)
        #expect(decline.leases.first?.state == .declined)
        #expect(decline.leases.first?.expires == Int64(1_000_001 + 3600))
        #expect(decline.events.map(\.kind) == [.declined])
        let next = try #require(client.dora(Lab.fanvil).ack.reply?.message.yiaddr)
        #expect(next != ip)
        let later = Client(engine: engine, now: 1_000_001 + 3601)
        let reused = [Lab.other, Lab.fanvil2, Lab.reserved.with(last: 0x55)].compactMap { later.dora($0).ack.reply?.message.yiaddr }
        #expect(reused.contains(ip), "quarantine over, address reused")
    }

    @Test func informGetsOptionsButNoAddressOrLease() throws {
        let ciaddr = IPv4Address("192.0.2.50")!
        let outcome = engine.handle(Lab.message(.inform, Lab.fanvil, ciaddr: ciaddr), on: Lab.interface, now: 1)
        let ack = try #require(outcome.reply)
        #expect(ack.message.messageType == .ack)
        #expect(ack.message.yiaddr == .any)
        #expect(ack.message.options[.leaseTime] == nil)
        #expect(ack.message.options.string(.tftpServerName) == Lab.url)
        #expect(ack.destination == ReplyDestination(address: ciaddr, port: 68))
        #expect(outcome.leases.isEmpty)
    }

    /// Issue 13, item 8: an INFORM is a reflector if its ACK goes to any
    /// ciaddr; only a ciaddr in the subnet it came for is answered.
    @Test(arguments: ["203.0.113.7", "198.51.100.20", "192.0.3.1", "255.255.255.255"])
    func informWithAForeignCiaddrIsDropped(_ foreign: String) {
        let ciaddr = IPv4Address(foreign)!
        let outcome = engine.handle(Lab.message(.inform, Lab.fanvil, ciaddr: ciaddr), on: Lab.interface, now: 1)
        #expect(outcome.reply == nil)
        #expect(outcome.drop?.reason == .informForeignCiaddr)
        #expect(outcome.drop?.detail.contains("ciaddr \(foreign) outside 192.0.2.0/24") == true)
    }

    @Test func relayedInformIsAnsweredOnlyForACiaddrInTheRelaySubnet() throws {
        let giaddr = IPv4Address("198.51.100.1")!
        let inside = engine.handle(
            Lab.message(.inform, Lab.fanvil, ciaddr: IPv4Address("198.51.100.20")!, giaddr: giaddr),
            on: Lab.interface, now: 1)
        #expect(try #require(inside.reply).destination == ReplyDestination(address: giaddr, port: 67))
        let onOurLink = engine.handle(
            Lab.message(.inform, Lab.fanvil, ciaddr: IPv4Address("192.0.2.50")!, giaddr: giaddr),
            on: Lab.interface, now: 1)
        #expect(onOurLink.drop?.reason == .informForeignCiaddr, "ciaddr must be in the giaddr subnet")
    }

    @Test func informWithoutCiaddrIsAnsweredByBroadcastOnly() throws {
        let outcome = engine.handle(Lab.message(.inform, Lab.fanvil), on: Lab.interface, now: 1)
        let ack = try #require(outcome.reply)
        #expect(ack.destination == ReplyDestination(address: .broadcast, port: 68))
    }

    @Test func poolExhaustionDropsAndNeverEvictsBoundLeases() throws {
        let client = Client(engine: engine)
        var bound: [IPv4Address] = []
        for i in 0..<3 {
            let mac = MACAddress(value: 0x0c383e_000100 + UInt64(i))
            bound.append(try #require(client.dora(mac).ack.reply?.message.yiaddr))
        }
        #expect(Set(bound).count == 3)
        for i in 0..<50 {
            let outcome = engine.handle(
                Lab.message(.discover, MACAddress(value: 0x020000_000000 + UInt64(i))), on: Lab.interface, now: 1_000_001)
            #expect(outcome.drop?.reason == .poolExhausted)
        }
        let renew = engine.handle(
            Lab.message(.request, MACAddress(value: 0x0c383e_000100), ciaddr: bound[0]), on: Lab.interface, now: 1_000_002)
        #expect(renew.reply?.message.messageType == .ack)
    }

    @Test func expiredLeaseIsReusedByAnotherClient() throws {
        let client = Client(engine: engine)
        for i in 0..<3 { _ = client.dora(MACAddress(value: 0x0c383e_000200 + UInt64(i))) }
        #expect(engine.handle(Lab.message(.discover, Lab.other), on: Lab.interface, now: 1_000_001).drop?.reason == .poolExhausted)
        let later = Client(engine: engine, now: 1_000_000 + 601)
        let ack = try #require(later.dora(Lab.other).ack.reply?.message)
        #expect(ack.messageType == .ack)
    }

    @Test func reservationGetsItsAddressAndOptionOverride() throws {
        let ack = try #require(Client(engine: engine).dora(Lab.reserved).ack.reply?.message)
        #expect(ack.yiaddr == IPv4Address("192.0.2.10"))
        #expect(ack.options.string(.tftpServerName) == "http://special/$mac.cfg")
        #expect(ack.options.string(.vendorSpecific) == Lab.url, "class options not overridden stay")
        let other = engine.handle(
            Lab.message(.request, Lab.other, requested: IPv4Address("192.0.2.10")!), on: Lab.interface, now: 1)
        #expect(other.reply?.message.messageType == .nak, "a reserved address is never given to another MAC")
    }

    @Test func relayedRequestLeasesFromTheGiaddrSubnetAndRepliesToTheRelay() throws {
        let giaddr = IPv4Address("198.51.100.1")!
        var discover = Lab.message(.discover, Lab.fanvil, giaddr: giaddr)
        discover.options[.relayAgentInformation] = [1, 4, 0x61, 0x62, 0x63, 0x64]
        let offer = try #require(engine.handle(discover, on: Lab.interface, now: 1).reply)
        #expect(offer.message.yiaddr == IPv4Address("198.51.100.10"))
        #expect(offer.message.giaddr == giaddr)
        #expect(offer.message.options[.relayAgentInformation] == [1, 4, 0x61, 0x62, 0x63, 0x64])
        #expect(offer.message.options.uint32(.leaseTime) == 900)
        #expect(offer.destination == ReplyDestination(address: giaddr, port: 67))
        #expect(offer.message.encode().suffix(from: 240).contains(82))
    }

    @Test func giaddrWithoutARelayHopOrWithOurAddressIsASpoofAndDropped() {
        var forged = Lab.message(.discover, Lab.fanvil, giaddr: IPv4Address("198.51.100.1")!)
        forged.hops = 0
        #expect(engine.handle(forged, on: Lab.interface, now: 1).drop?.reason == .spoofedRelay)
        let ours = engine.handle(Lab.message(.discover, Lab.fanvil, giaddr: Lab.server), on: Lab.interface, now: 1)
        #expect(ours.drop?.reason == .spoofedRelay)
        let unknown = engine.handle(
            Lab.message(.discover, Lab.fanvil, giaddr: IPv4Address("203.0.113.1")!), on: Lab.interface, now: 1)
        #expect(unknown.drop?.reason == .noSubnet)
    }

    /// perfdhcp, and relays whose client side shares our subnet, put a giaddr
    /// on the attached network: answered, to the relay.
    @Test func relayOnTheAttachedSubnetIsAnsweredThroughTheRelay() throws {
        let giaddr = IPv4Address("192.0.2.2")!
        let offer = try #require(engine.handle(
            Lab.message(.discover, Lab.fanvil, giaddr: giaddr), on: Lab.interface, now: 1).reply)
        #expect(offer.message.yiaddr == IPv4Address("192.0.2.100"))
        #expect(offer.destination == ReplyDestination(address: giaddr, port: 67))
    }

    @Test func garbageIsDroppedAsMalformed() {
        let outcome = engine.handle(datagram: [1, 1, 6, 0, 1, 2], on: Lab.interface, now: 1)
        #expect(outcome.drop?.reason == .malformed)
        var reply = Lab.message(.discover, Lab.fanvil)
        reply.op = .bootReply
        #expect(engine.handle(reply, on: Lab.interface, now: 1).drop?.reason == .notARequest)
        var offer = Lab.message(.offer, Lab.fanvil)
        offer.op = .bootRequest
        #expect(engine.handle(offer, on: Lab.interface, now: 1).drop?.reason == .unsupportedMessageType)
    }

    @Test func tableRebuiltFromStoredLeasesKeepsBindings() throws {
        let stored = Lease(ip: IPv4Address("192.0.2.100")!, mac: Lab.fanvil, state: .bound, subnet: "192.0.2.0/24",
                           expires: 2_000_000, updated: 1)
        let restarted = DHCPEngine(settings: Lab.settings(), leases: [stored])
        let offer = restarted.handle(Lab.message(.discover, Lab.other), on: Lab.interface, now: 1_000_000).reply?.message
        #expect(offer?.yiaddr == IPv4Address("192.0.2.101"))
        let own = restarted.handle(Lab.message(.discover, Lab.fanvil), on: Lab.interface, now: 1_000_000).reply?.message
        #expect(own?.yiaddr == IPv4Address("192.0.2.100"))
    }
}

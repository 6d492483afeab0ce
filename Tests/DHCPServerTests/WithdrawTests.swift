import DHCPServer
import DHCPv4
import Store
import Testing

/// Requests whose commit never happens (refused by the commit queue, or a
/// failed commit) are undone in the lease table: nobody was told of them.
@Suite struct WithdrawTests {
    let engine = DHCPEngine(settings: Lab.settings(), leases: [])
    let subnet = "192.0.2.0/24"

    func pending(_ outcome: DHCPOutcome) -> PendingCommit {
        PendingCommit(leases: outcome.leases, events: outcome.events, reply: nil, undo: outcome.undo)
    }

    @Test func aRefusedGrantDoesNotKeepItsAddressBound() throws {
        let client = Client(engine: engine)
        let ack = client.dora(Lab.other).ack
        let ip = try #require(ack.reply?.message.yiaddr)
        #expect(engine.boundCounts(now: 1_000_000)[subnet] == 1)
        engine.withdraw([pending(ack)])
        #expect(engine.boundCounts(now: 1_000_000)[subnet] == 0, "no lease nobody was told of")
        // The client's retry gets the same address, as a new lease.
        let retry = client.dora(Lab.other).ack
        #expect(retry.reply?.message.yiaddr == ip)
        #expect(retry.events.map(\.kind) == [.leased])
    }

    @Test func aRefusedRenewalLeavesTheLeaseTheClientStillHas() throws {
        let ip = try #require(Client(engine: engine).dora(Lab.other).ack.reply?.message.yiaddr)  // expires 1_000_600
        let renew = engine.handle(Lab.message(.request, Lab.other, ciaddr: ip), on: Lab.interface, now: 1_000_300)
        #expect(renew.leases.first?.expires == 1_000_900)
        engine.withdraw([pending(renew)])
        #expect(engine.boundCounts(now: 1_000_599)[subnet] == 1, "still bound: the client holds it")
        #expect(engine.boundCounts(now: 1_000_700)[subnet] == 0, "until the expiry it was told of, not the refused one")
    }

    @Test func aChangeAnsweredSinceIsNotUndone() throws {
        var client = Client(engine: engine)
        let first = client.dora(Lab.other).ack
        client.now += 1  // the client retries a second later, and that one is committed
        let second = client.dora(Lab.other).ack
        #expect(second.leases.first?.expires == 1_000_601)
        engine.withdraw([pending(first)])
        #expect(engine.boundCounts(now: 1_000_600)[subnet] == 1, "the later grant stands")
    }
}

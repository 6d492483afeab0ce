import DHCPServer
import DHCPv4
import Store
import Synchronization
import Testing

@Suite struct ClockAndExpiryTests {
    /// A wall clock that jumps (NTP step, admin `date -s`) does not move the
    /// server's notion of time; only the monotonic clock does.
    @Test func wallClockJumpsDoNotMoveLeaseTime() {
        let wall = Mutex(1_000_000.0)
        let mono = Mutex<UInt64>(5_000_000_000)
        let clock = ServerClock(wall: { wall.withLock { $0 } }, monotonic: { mono.withLock { $0 } })
        #expect(clock.now == 1_000_000)
        wall.withLock { $0 += 86_400 * 365 }  // a year forward
        #expect(clock.now == 1_000_000)
        mono.withLock { $0 += 30_000_000_000 }  // 30 s really pass
        #expect(clock.now == 1_000_030)
        wall.withLock { $0 -= 86_400 * 400 }  // and far back
        #expect(clock.now == 1_000_030)
    }

    @Test func expiryTurnsOnlyLapsedBoundLeasesIntoExpiredWithEvents() throws {
        let engine = DHCPEngine(settings: Lab.settings(), leases: [])
        let early = Client(engine: engine, now: 1_000)
        let first = try #require(early.dora(Lab.fanvil).ack.reply?.message.yiaddr)
        let late = Client(engine: engine, now: 1_400)
        let second = try #require(late.dora(Lab.other).ack.reply?.message.yiaddr)
        #expect(engine.expire(now: 1_599).leases.isEmpty)
        let swept = engine.expire(now: 1_600)
        #expect(swept.leases.map(\.ip) == [first])
        #expect(swept.leases.map(\.state) == [.expired])
        #expect(swept.events.map(\.kind) == [.expired])
        #expect(engine.expire(now: 1_700).leases.isEmpty, "already expired leases are not swept twice")
        #expect(engine.expire(now: 2_000).leases.map(\.ip) == [second])
        let back = Client(engine: engine, now: 2_001)
        #expect(back.dora(Lab.fanvil).ack.reply?.message.yiaddr == first, "an expired client gets its address back")
    }
}

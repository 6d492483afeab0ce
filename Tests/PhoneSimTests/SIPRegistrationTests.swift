import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import PhoneSim

/// SIPRegisterClient against SIPRegistrar over 127.0.0.1, ephemeral ports.
@Suite struct SIPRegistrationTests {
    static let users = ["1001": "secret1", "1002": "secret2", "auth1003": "secret3"]

    /// Runs `body` with a registrar serving on 127.0.0.1:<ephemeral>.
    func withRegistrar(
        nonceLifetime: Double = 300, events: RegistrarEventLog = RegistrarEventLog(),
        _ body: (SIPRegistrar, Int) async throws -> Void
    ) async throws {
        let registrar = SIPRegistrar(
            users: Self.users, host: "127.0.0.1", port: 0, nonceLifetime: nonceLifetime, onEvent: { events.append($0) })
        let port = try #require(try await registrar.bind().port)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await registrar.run() }
            defer { group.cancelAll() }
            try await body(registrar, port)
        }
    }

    func account(_ user: String, _ password: String, port: Int, authUser: String? = nil) -> SIPAccount {
        SIPAccount(user: user, authUser: authUser ?? user, password: password, registrar: "127.0.0.1", port: port)
    }

    @Test func rightPasswordRegisters() async throws {
        let events = RegistrarEventLog()
        try await withRegistrar(events: events) { registrar, port in
            let client = SIPRegisterClient(localHost: "127.0.0.1", localPort: 0, group: MultiThreadedEventLoopGroup.singleton)
            let status = await client.register(account("1001", "secret1", port: port), timeout: .seconds(30))
            #expect(status == 200)
            let contact = try #require(registrar.bindings["1001"])
            #expect(contact.hasPrefix("sip:1001@127.0.0.1:"))
            // One REGISTER (a retransmission of it on a loaded machine is the same registration).
            #expect(registrar.bindings.count == 1)
            // The auth user may differ from the AOR user; the binding is the AOR's.
            #expect(await client.register(account("2003", "secret3", port: port, authUser: "auth1003"), timeout: .seconds(30)) == 200)
            #expect(registrar.bindings["2003"] != nil)
            // Expires 0 removes the binding.
            #expect(await client.register(account("1001", "secret1", port: port), expires: 0, timeout: .seconds(30)) == 200)
            #expect(registrar.bindings["1001"] == nil)
            await client.close()
        }
        #expect(events.all.contains { if case .registered(user: "1001", _, _) = $0 { true } else { false } })
        #expect(events.all.contains { if case .unregistered(user: "1001", _) = $0 { true } else { false } })
    }

    @Test func wrongPasswordAndUnknownUserAreForbidden() async throws {
        let events = RegistrarEventLog()
        try await withRegistrar(events: events) { registrar, port in
            let client = SIPRegisterClient(localHost: "127.0.0.1", localPort: 0, group: MultiThreadedEventLoopGroup.singleton)
            #expect(await client.register(account("1002", "wrong", port: port), timeout: .seconds(30)) == 403)
            #expect(await client.register(account("7777", "secret1", port: port), timeout: .seconds(30)) == 403)
            #expect(registrar.bindings.isEmpty)
            await client.close()
        }
        let refused = events.all.compactMap { if case let .refused(user, status, source) = $0 { "\(user) \(status) \(source.hasPrefix("127.0.0.1:"))" } else { nil } }
        // Each refused once; a retransmitted REGISTER (a loaded machine) may be refused twice.
        #expect(Set(refused) == ["1002 403 true", "7777 403 true"] && refused.first == "1002 403 true")
    }

    @Test func aSecondChallengeIsReturned() async throws {
        // Every nonce is stale at once: the credentials are answered 401 stale=true again.
        try await withRegistrar(nonceLifetime: -10) { _, port in
            let client = SIPRegisterClient(localHost: "127.0.0.1", localPort: 0, group: MultiThreadedEventLoopGroup.singleton)
            #expect(await client.register(account("1001", "secret1", port: port), timeout: .seconds(30)) == 401)
            await client.close()
        }
    }

    @Test func noRegistrarTimesOutWith408() async throws {
        // A bound but silent socket: nothing answers, not even ICMP.
        let silent = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(silent.localAddress?.port)
        let client = SIPRegisterClient(localHost: "127.0.0.1", localPort: 0, group: MultiThreadedEventLoopGroup.singleton)
        let start = ContinuousClock.now
        let status = await client.register(account("1001", "secret1", port: port), timeout: .milliseconds(1200))
        let elapsed = ContinuousClock.now - start
        #expect(status == 408)
        #expect(elapsed >= .milliseconds(1100) && elapsed < .seconds(30), "at the 1.2 s timeout, not long after")
        await client.close()
        try await silent.close()
    }

    @Test func retransmitsOnTimerA() async throws {
        // Counts the copies of one REGISTER: sent at 0, 0.5 and 1.5 s; the next
        // would be at 3.5 s, after the 2.5 s timeout (a second of slack either
        // way for a loaded machine).
        // Event loops of its own: the load test in this suite may run at the
        // same time and keep the shared ones busy past the timers (it did,
        // once: only the first copy went out within the 2.5 s).
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let counter = DatagramCounter()
        let silent = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(counter) } }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(silent.localAddress?.port)
        let client = SIPRegisterClient(localHost: "127.0.0.1", localPort: 0, group: group)
        #expect(await client.register(account("1001", "secret1", port: port), timeout: .milliseconds(2500)) == 408)
        #expect(counter.count == 3)
        await client.close()
        try await silent.close()
        try await group.shutdownGracefully()
    }

    @Test func closedClientOrUnbindableAddressGives503() async throws {
        let closed = SIPRegisterClient(localHost: "127.0.0.1", localPort: 0, group: MultiThreadedEventLoopGroup.singleton)
        await closed.close()
        #expect(await closed.register(account("1001", "x", port: 5060), timeout: .seconds(1)) == 503)
        let unbindable = SIPRegisterClient(localHost: "192.0.2.1", localPort: 0, group: MultiThreadedEventLoopGroup.singleton)
        #expect(await unbindable.register(account("1001", "x", port: 5060), timeout: .seconds(1)) == 503)
    }

    @Test func twoLinesOfOnePhoneAtOnce() async throws {
        try await withRegistrar { registrar, port in
            let client = SIPRegisterClient(localHost: "127.0.0.1", localPort: 0, group: MultiThreadedEventLoopGroup.singleton)
            async let first = client.register(account("1001", "secret1", port: port), timeout: .seconds(30))
            async let second = client.register(account("1002", "secret2", port: port), timeout: .seconds(30))
            async let third = client.register(account("1002", "bad", port: port), timeout: .seconds(30))
            let statuses = await [first, second, third]
            #expect(statuses == [200, 200, 403])
            #expect(Set(registrar.bindings.keys) == ["1001", "1002"])
            // One phone, one contact address (host:port after the user).
            #expect(Set(registrar.bindings.values.map { $0.split(separator: "@").last! }).count == 1)
            await client.close()
        }
    }

    @Test func aThousandRegistrationsAtOnce() async throws {
        // 100 phones of 10 lines each, all at once.
        var users: [String: String] = [:]
        for i in 0..<1000 { users["u\(i)"] = "p\(i)" }
        let registrar = SIPRegistrar(users: users, host: "127.0.0.1", port: 0)
        let port = try #require(try await registrar.bind().port)
        let start = ContinuousClock.now
        let ok = await withTaskGroup(of: Int.self) { group in
            group.addTask { try? await registrar.run(); return 0 }
            let ok = await withTaskGroup(of: Int.self) { phones in
                for phone in 0..<100 {
                    phones.addTask {
                        let client = SIPRegisterClient(localHost: "127.0.0.1", localPort: 0, group: MultiThreadedEventLoopGroup.singleton)
                        let statuses = await withTaskGroup(of: Int.self) { lines in
                            for line in 0..<10 {
                                let i = phone * 10 + line
                                lines.addTask { await client.register(self.account("u\(i)", "p\(i)", port: port), timeout: .seconds(60)) }
                            }
                            return await lines.reduce(0) { $0 + ($1 == 200 ? 1 : 0) }
                        }
                        await client.close()
                        return statuses
                    }
                }
                return await phones.reduce(0, +)
            }
            group.cancelAll()
            return ok
        }
        let elapsed = ContinuousClock.now - start
        #expect(ok == 1000)
        #expect(registrar.bindings.count == 1000)
        // Speed is a benchmark's business; this only says the load finishes.
        #expect(elapsed < .seconds(60))
    }
}

/// Registrar events, collected across threads.
final class RegistrarEventLog: Sendable {
    private let events = LockedArray<SIPRegistrarEvent>()
    func append(_ event: SIPRegistrarEvent) { events.append(event) }
    var all: [SIPRegistrarEvent] { events.all }
}

/// Counts the datagrams it reads.
final class DatagramCounter: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let seen = LockedArray<Int>()
    var count: Int { seen.all.count }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) { seen.append(1) }
}

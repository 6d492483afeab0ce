import DHCPv4
import NIOCore
import NIOPosix
import PhoneAPI
import Testing
@testable import PhoneSim

/// One phone's whole life on 127.0.0.x: lease through the relay from a fake
/// DHCP server, config fetched from its leased address, BootCompletedUrl,
/// API answering, SIP registration attempted, re-register on `set`, reboot.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct SimulatedPhoneTests {
    static let mac = MACAddress("0c383e000042")!
    static let ip = "127.64.1.66"

    /// Waits for the next event of `kind`, skipping others.
    static func next(_ kind: PhoneEvent.Kind, in events: inout AsyncStream<PhoneEvent>.Iterator) async -> PhoneEvent? {
        while let event = await events.next() {
            if event.kind == kind { return event }
        }
        return nil
    }

    static func post(_ body: String, port: Int, group: any EventLoopGroup) async throws -> XMLServiceReply {
        let url = try #require(HTTPURL("http://\(ip):\(port)/xmlService"))
        let response = try await SimpleHTTPClient.request(.POST, url, from: "127.0.0.1", body: Array(body.utf8), group: group)
        #expect(response.status == 200)
        return try XMLServiceReply(parsing: response.body)
    }

    @Test func bootsServesReregistersAndReboots() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let http = FakeConfigServer(files: [:])
        let httpPort = try await http.start(host: "127.0.0.4", group: group)
        let config = FakeConfigServer(files: ["/0c383e000042.cfg": """
            #<Voip Config File>#
            sip.line.1.PhoneNumber = 1042
            sip.line.1.RegisterAddr = 127.0.0.5
            sip.line.1.RegisterPswd = secret
            sip.line.1.EnableReg = 1
            sip.line.2.PhoneNumber = 1043
            phone.EnablePushXMLAuth = 0
            cti.BootCompletedUrl = http://127.0.0.4:\(httpPort)/boot?mac=$mac&ip=$ip
            cti.RegFailedUrl = http://127.0.0.4:\(httpPort)/failed?mac=$mac
            """])
        let configPort = try await config.start(host: "127.0.0.6", group: group)
        let dhcp = DHCPRelayTests.FakeServer(option66: "http://127.0.0.6:\(configPort)/$mac.cfg")
        let apiPort = Int.random(in: 20000...40000)

        try await DHCPRelayTests.withRelay(dhcp, group: group) { relay in
            let (stream, sink) = AsyncStream.makeStream(of: PhoneEvent.self)
            var environment = PhoneEnvironment(group: group, relay: relay, apiPort: apiPort, sipPort: 0, events: { sink.yield($0) })
            environment.registerTimeout = .milliseconds(300)
            environment.rebootDowntime = .milliseconds(100)
            let state = PhoneState(identity: PhoneIdentity(index: 0, mac: Self.mac))
            let phone = SimulatedPhone(state: state, environment: environment)
            var events = stream.makeAsyncIterator()
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { await phone.run() }

                #expect(await Self.next(.leased, in: &events)?.ip == Self.ip)
                #expect(await Self.next(.configFetched, in: &events) != nil)
                #expect(await Self.next(.apiListening, in: &events) != nil)
                let first = await Self.next(.registerFailed, in: &events)
                #expect(first?.code != nil && first?.code != 200)
                #expect(config.requests.withLockedValue { $0 } == [FakeConfigServer.Request(
                    target: "/0c383e000042.cfg", source: Self.ip, userAgent: "Fanvil X4 2.10.2.6887 0c383e000042")])
                let actions = http.requests.withLockedValue { $0.map(\.target) }
                #expect(actions.first == "/boot?mac=0c383e000042&ip=127.64.1.66")

                let get = try await Self.post(
                    #"<FanvilConfiguration cmd="get"><Item>info.dev.Mac</Item><Item>info.sip.line.1.</Item><Item>info.sip.line.2.registerCode</Item></FanvilConfiguration>"#,
                    port: apiPort, group: group)
                #expect(get.value(for: "info.dev.Mac") == "0c383e000042")
                #expect(get.value(for: "info.sip.line.1.registerCode") == String(first?.code ?? -1))
                #expect(get.value(for: "info.sip.line.2.registerCode") == "0")

                let set = try await Self.post(
                    #"<FanvilConfiguration cmd="set"><Item>sip.line.1.RegisterAddr = 127.0.0.7</Item></FanvilConfiguration>"#,
                    port: apiPort, group: group)
                #expect(set.retCode == 0)
                #expect(await Self.next(.registerFailed, in: &events) != nil)
                #expect(state.settings["sip.line.1.RegisterAddr"] == "127.0.0.7")

                _ = try await Self.post(
                    #"<FanvilPhoneExecute><ExecuteItem>URI="Cmd:Reboot"</ExecuteItem></FanvilPhoneExecute>"#,
                    port: apiPort, group: group)
                #expect(await Self.next(.rebooting, in: &events) != nil)
                #expect(await Self.next(.leased, in: &events)?.ip == Self.ip)
                #expect(await Self.next(.apiListening, in: &events) != nil)
                #expect(config.requests.withLockedValue { $0.count } == 2)
                tasks.cancelAll()
            }
            sink.finish()
            await http.close()
            await config.close()
        }
    }

    @Test func renewsTheLeaseAtT1WithoutRebooting() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let config = FakeConfigServer(files: ["/0c383e000042.cfg": "phone.EnablePushXMLAuth = 0\n"])
        let configPort = try await config.start(host: "127.0.0.6", group: group)
        let dhcp = DHCPRelayTests.FakeServer(option66: "http://127.0.0.6:\(configPort)/$mac.cfg", leaseTime: 2)
        try await DHCPRelayTests.withRelay(dhcp, group: group) { relay in
            let (stream, sink) = AsyncStream.makeStream(of: PhoneEvent.self)
            let environment = PhoneEnvironment(
                group: group, relay: relay, apiPort: Int.random(in: 20000...40000), sipPort: 0, events: { sink.yield($0) })
            let state = PhoneState(identity: PhoneIdentity(index: 0, mac: Self.mac))
            let phone = SimulatedPhone(state: state, environment: environment)
            var events = stream.makeAsyncIterator()
            await withTaskGroup(of: Void.self) { tasks in
                tasks.addTask { await phone.run() }
                #expect(await Self.next(.apiListening, in: &events) != nil)
                // The renewal at half the lease time: wait for it, with a deadline.
                let deadline = ContinuousClock.now + .seconds(60)
                while dhcp.seen.withLockedValue({ $0.count }) < 4, ContinuousClock.now < deadline {
                    try? await Task.sleep(for: .milliseconds(20))
                }
                #expect(dhcp.seen.withLockedValue { $0.map(\.messageType) } == [.discover, .request, .discover, .request])
                #expect(dhcp.seen.withLockedValue { $0.last?.requestedIPAddress } == IPv4Address(127, 64, 1, 66))
                #expect(config.requests.withLockedValue { $0.count } == 1)
                tasks.cancelAll()
            }
            sink.finish()
            await config.close()
        }
    }
}

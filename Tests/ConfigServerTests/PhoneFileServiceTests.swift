@testable import ConfigServer
import DHCPv4
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import NIOConcurrencyHelpers
import Rendering
import Store
import Testing

@Suite struct PhoneFileServiceTests {
    @Test func thePhoneAtItsLeasedAddressGetsExactlyTheRenderedFile() async throws {
        let h = try Harness()
        try h.addPhone()
        try h.lease("127.0.0.1")
        let expected = try h.renderer.render(.device(phoneMAC), device: try #require(try h.inventory.device(phoneMAC)), group: nil)
        try await h.phoneApp().test { client in
            let response = try await client.execute(uri: "/0c383e07e16c.cfg", method: .get, headers: [.userAgent: fanvilUA])
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == expected.body)
            #expect(response.headers[.contentType] == "text/xml; charset=utf-8")
            let head = try await client.execute(uri: "/0c383e07e16c.cfg", method: .head, headers: [.userAgent: fanvilUA])
            #expect(head.status == .ok && head.body.readableBytes == 0)
            #expect(head.headers[.contentLength] == String(expected.body.utf8.count))
        }
        h.recorder.flush()
        let device = try #require(try h.inventory.device(phoneMAC))
        #expect(device.state == .configFetched && device.model == "X6" && device.firmware == "2.10.2.6887")
        #expect(device.lastIP == "127.0.0.1")
        let events = try h.inventory.events(for: phoneMAC, limit: 10)
        #expect(events.count == 2 && events.allSatisfy { $0.status == 200 && $0.userAgent == fanvilUA && $0.ip == "127.0.0.1" })
    }

    @Test func connectionsAreKeptAliveUnlessTheClientSaysCloseAndThenTheServerSaysSoToo() async throws {
        let h = try Harness()
        try h.addPhone()
        try h.lease("127.0.0.1")
        try await h.phoneApp().test { client in
            let uri = "/0c383e07e16c.cfg"
            let replies = try await client.exchange([
                (uri, .get, [.userAgent: fanvilUA]), ("/nothing", .get, [:]), (uri, .head, [:]),
                (uri, .get, [.connection: "close"]),
            ])
            #expect(replies.map(\.status.code) == [200, 404, 200, 200])
            #expect(replies.dropLast().allSatisfy { $0.headers[.connection] == "keep-alive" })
            #expect(replies.last?.headers[.connection] == "close")
        }
    }

    @Test func aRequestTheParserRejectsGetsA400AndTheConnectionCloses() async throws {
        let h = try Harness()
        let channels = try await PhoneHTTPServer(host: "127.0.0.1", port: 0, service: h.service(), logger: Logger(label: "test")).bind()
        defer { for channel in channels { channel.close(promise: nil) } }
        let received = NIOLockedValueBox(ByteBuffer())
        let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(ByteCollector(received)) }
            }
            .connect(host: "127.0.0.1", port: channels[0].localAddress!.port!).get()
        try await client.writeAndFlush(ByteBuffer(string: "GET /x HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n")).get()
        let deadline = ContinuousClock.now + .seconds(30)
        while client.isActive && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!client.isActive)
        #expect(received.withLockedValue { String(buffer: $0) }.hasPrefix("HTTP/1.1 400 Bad Request"))
    }

    @Test func aSilentConnectionIsClosed() async throws {
        let h = try Harness()
        let server = PhoneHTTPServer(
            host: "127.0.0.1", port: 0, service: h.service(), limits: ConnectionLimits(requestDeadline: 0.2), logger: Logger(label: "test"))
        let channels = try await server.bind()
        defer { for channel in channels { channel.close(promise: nil) } }
        let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: channels[0].localAddress!.port!).get()
        // The sweep runs each second: closed within 30 s, not left open.
        let deadline = ContinuousClock.now + .seconds(30)
        while client.isActive && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!client.isActive)
    }

    @Test func manyFetchesOfOnePhoneCostOneDeviceUpdate() {
        let mac = phoneMAC
        let merged = FetchRecorder.latestPerDevice([
            DeviceContact(mac: mac, time: 1, ip: "192.0.2.5", model: "X6", firmware: nil, fetchedOwnFile: true),
            DeviceContact(mac: mac, time: 3, ip: "192.0.2.6", model: nil, firmware: "2.1", fetchedOwnFile: false),
            DeviceContact(mac: MACAddress("0c:38:3e:00:00:09")!, time: 2, ip: nil, model: nil, firmware: nil, fetchedOwnFile: false),
        ])
        #expect(merged.count == 2)
        #expect(merged[1] == DeviceContact(mac: mac, time: 3, ip: "192.0.2.6", model: "X6", firmware: "2.1", fetchedOwnFile: true))
    }

    @Test func anyOtherAddressIsRefusedAndTheRefusalIsRecorded() async throws {
        let h = try Harness()
        try h.addPhone()
        try h.lease("192.0.2.100")
        try await h.phoneApp().test { client in
            let response = try await client.execute(uri: "/0c383e07e16c.cfg", method: .get, headers: [.userAgent: fanvilUA])
            #expect(response.status == .forbidden)
            #expect(String(buffer: response.body) == "not-leased-ip\n")
        }
        h.recorder.flush()
        let event = try #require(try h.inventory.events(for: phoneMAC, limit: 1).first)
        #expect(event.status == 403 && event.reason == "not-leased-ip" && event.file == "0c383e07e16c.cfg")
        #expect(try h.inventory.device(phoneMAC)?.state == .new, "a refused fetch teaches nothing")
    }

    /// Issue 13 item 5: 20,000 refused fetches of a known MAC from other
    /// addresses added 20,000 rows. Now at most ten rows per stranger and
    /// reason per minute; the rest are counted, and the phone's own
    /// refusals are all kept.
    @Test func refusalsFromStrangersAreCountedNotEachStored() throws {
        let h = try Harness()
        try h.addPhone()
        try h.lease("192.0.2.100")
        h.cache.refresh()
        let service = h.service(ConfigServerSettings(authorization: .digest))
        func get(from ip: String) -> PhoneResponse {
            service.handle(PhoneRequest(
                method: .GET, target: "/0c383e07e16c.cfg", userAgent: fanvilUA,
                remote: try! SocketAddress(ipAddress: ip, port: 40000)))
        }
        for i in 0..<2_000 { #expect(get(from: "198.51.100.\(1 + i % 2)").status == .unauthorized) }
        for _ in 0..<25 { #expect(get(from: "192.0.2.100").status == .unauthorized) }
        h.recorder.flush()
        let refusals = try h.inventory.events(for: phoneMAC, limit: 10_000).filter { $0.kind == .configFetch }
        #expect(refusals.filter { $0.ip != "192.0.2.100" }.count == 20, "ten per stranger address (the burst)")
        #expect(refusals.filter { $0.ip == "192.0.2.100" }.count == 25, "every refusal of the phone's own address")
    }

    @Test func theRefusalSamplerAdmitsABurstThenItsRateAndStaysBounded() {
        let sampler = RefusalSampler(window: 60, burst: 3, capacity: 3)
        #expect((0..<5).map { _ in sampler.admit(source: "a", reason: "x", now: 0) } == [true, true, true, false, false])
        #expect(sampler.admit(source: "a", reason: "y", now: 0), "each reason has its own bucket")
        #expect(!sampler.admit(source: "a", reason: "x", now: 19), "one token per 20 s")
        #expect(sampler.admit(source: "a", reason: "x", now: 21))
        #expect(sampler.admit(source: "b", reason: "x", now: 22))
        #expect(!sampler.admit(source: "c", reason: "x", now: 23), "full, and no bucket idle for a window: only counted")
        #expect(sampler.admit(source: "c", reason: "x", now: 81), "a's idle y bucket made room")
    }

    @Test(arguments: [
        ("/0c383e07e16c.cfg", "Fanvil X6 2.10 0c383e000099", HTTPResponse.Status.forbidden, "user-agent-mismatch"),
        ("/000000000000.cfg", fanvilUA, .notFound, "zero-mac"),
        ("/0C383E07E16C.cfg", fanvilUA, .notFound, "not-found"),
        ("/0c383e000099.cfg", "", .notFound, "unknown-device"),
        ("/nothing.cfg", fanvilUA, .notFound, "not-found"),
        ("/%2e%2e/etc/passwd", fanvilUA, .badRequest, "bad-path"),
        ("/a/../0c383e07e16c.cfg", fanvilUA, .badRequest, "bad-path"),
        ("/..%2f0c383e07e16c.cfg", fanvilUA, .badRequest, "bad-path"),
        ("/sub/0c383e07e16c.cfg", fanvilUA, .badRequest, "bad-path"),
        ("/.0c383e07e16c.cfg", fanvilUA, .badRequest, "bad-path"),
        ("/" + String(repeating: "a", count: 300), fanvilUA, .badRequest, "bad-path"),
        ("/fanvil_x6_hwv1_0.txt", fanvilUA, .notFound, "no-firmware"),
    ])
    func refusals(uri: String, agent: String, status: HTTPResponse.Status, reason: String) async throws {
        let h = try Harness()
        try h.addPhone()
        try h.lease("127.0.0.1")
        try await h.phoneApp().test { client in
            let headers: HTTPFields = agent.isEmpty ? [:] : [.userAgent: agent]
            let response = try await client.execute(uri: uri, method: .get, headers: headers)
            #expect(response.status == status)
            #expect(String(buffer: response.body) == reason + "\n")
        }
    }

    @Test(arguments: [HTTPRequest.Method.post, .put, .delete, .options])
    func onlyGetAndHeadAreAnswered(method: HTTPRequest.Method) async throws {
        let h = try Harness()
        try h.addPhone()
        try h.lease("127.0.0.1")
        try await h.phoneApp().test { client in
            let response = try await client.execute(uri: "/0c383e07e16c.cfg", method: method, headers: [.userAgent: fanvilUA])
            #expect(response.status == .methodNotAllowed && response.headers[.allow] == "GET, HEAD")
        }
    }

    @Test func commonAndFirmwareFilesGoToTheDeviceHoldingTheAddress() async throws {
        let h = try Harness(globals: ["firmware_url": "http://192.0.2.1/x6.z", "firmware_version": "2.12"])
        try h.addPhone()
        try h.lease("127.0.0.1")
        try await h.phoneApp().test { client in
            // No User-Agent: the leased address says who is asking.
            let common = try await client.execute(uri: "/F0V00X600000.cfg", method: .get)
            #expect(common.status == .ok && String(buffer: common.body).contains("<sysConf>"))
            let firmware = try await client.execute(uri: "/fanvil_x6_hwv1_0.txt", method: .get, headers: [.userAgent: fanvilUA])
            #expect(firmware.status == .ok && String(buffer: firmware.body).contains("Firmware=http://192.0.2.1/x6.z"))
        }
    }

    @Test func unknownDevicesAreCreatedAsDiscoveredWhenAsked() async throws {
        let h = try Harness()
        let newcomer = MACAddress("0c:38:3e:00:00:42")!
        try h.lease("127.0.0.1", to: newcomer)
        var settings = ConfigServerSettings()
        settings.unknownDevices = .autocreate
        try await h.phoneApp(settings).test { client in
            let response = try await client.execute(
                uri: "/0c383e000042.cfg", method: .get, headers: [.userAgent: "Fanvil X4 2.1 0c383e000042"])
            // The shipped template needs nothing a discovered device lacks.
            #expect(response.status == .ok)
        }
        h.recorder.flush()
        let device = try #require(try h.inventory.device(newcomer))
        #expect(device.state == .configFetched && device.model == "X4" && device.group == "default")
        #expect(try h.inventory.events(for: newcomer, limit: 5).contains { $0.kind == .discovered })
    }

    @Test func anUnknownPhoneThatIsRefusedIsNotCreatedNorLogged() async throws {
        let h = try Harness()
        let stranger = MACAddress("0c:38:3e:00:00:43")!
        try h.lease("192.0.2.9", to: stranger)
        var settings = ConfigServerSettings()
        settings.unknownDevices = .autocreate
        try await h.phoneApp(settings).test { client in
            let response = try await client.execute(
                uri: "/0c383e000043.cfg", method: .get, headers: [.userAgent: "Fanvil X4 2.1 0c383e000043"])
            #expect(response.status == .forbidden)
        }
        h.recorder.flush()
        #expect(try h.inventory.device(stranger) == nil)
        #expect(try h.inventory.events(for: stranger, limit: 5).filter { $0.kind == .configFetch }.isEmpty)
    }

    @Test func editsOfTheDeviceOrItsGroupAreServedAtTheNextFetch() async throws {
        let h = try Harness()
        try h.addPhone()
        try h.lease("127.0.0.1")
        try FileManager.default.createDirectory(atPath: h.overrideFolder + "/fanvil/device", withIntermediateDirectories: true)
        try "{{label}} {{site}}".write(toFile: h.overrideFolder + "/fanvil/device/base.xml.mustache", atomically: true, encoding: .utf8)
        _ = try h.inventory.update(group: "default", now: 2) { $0.variables["site"] = "A" }
        try await h.phoneApp().test { client in
            func fetch() async throws -> String {
                String(buffer: try await client.execute(uri: "/0c383e07e16c.cfg", method: .get, headers: [.userAgent: fanvilUA]).body)
            }
            h.cache.refresh()
            #expect(try await fetch() == "Desk 1 A")
            _ = try h.inventory.update(phoneMAC, now: 3) { $0.label = "Desk 2" }
            #expect(try await fetch() == "Desk 1 A", "served from memory until the cache follows the store")
            h.cache.refresh()
            #expect(try await fetch() == "Desk 2 A")
            _ = try h.inventory.update(group: "default", now: 4) { $0.variables["site"] = "B" }
            h.cache.refresh()
            #expect(try await fetch() == "Desk 2 B")
        }
    }

    @Test func aLeaseGrantedAfterTheCacheLastLookedIsHonouredAndAMovedOneIsNot() async throws {
        let h = try Harness()
        try h.addPhone()
        try h.lease("192.0.2.7")
        h.cache.refresh()
        #expect(h.cache.holds(phoneMAC, address: IPv4Address("192.0.2.7")!, now: Int64(Date().timeIntervalSince1970)))
        // The phone moves to 127.0.0.1 and asks before the cache looked again.
        try h.lease("127.0.0.1")
        try h.leases.commitBlocking(leases: [Lease(
            ip: IPv4Address("192.0.2.7")!, mac: phoneMAC, clientID: nil, state: .released, subnet: "192.0.2.0/24",
            className: nil, hostname: nil, expires: 0, updated: Int64(Date().timeIntervalSince1970))],
            events: [LeaseEvent(time: 1, kind: .released, mac: phoneMAC, ip: IPv4Address("192.0.2.7")!)])
        try await h.phoneApp().test { client in
            let response = try await client.execute(uri: "/0c383e07e16c.cfg", method: .get, headers: [.userAgent: fanvilUA])
            #expect(response.status == .ok)
        }
        h.cache.refresh()
        #expect(!h.cache.holds(phoneMAC, address: IPv4Address("192.0.2.7")!, now: Int64(Date().timeIntervalSince1970)))
    }

    @Test func theCacheFollowsLeaseEventsFromTheVeryFirstOne() throws {
        let h = try Harness()
        h.cache.refresh()  // an empty store: no lease, no event yet
        let ip = IPv4Address("192.0.2.7")!
        let now = Int64(Date().timeIntervalSince1970)
        let lease = Lease(ip: ip, mac: phoneMAC, clientID: nil, state: .bound, subnet: "192.0.2.0/24", className: nil,
                          hostname: nil, expires: now + 3600, updated: now)
        try h.leases.commitBlocking(leases: [lease], events: [LeaseEvent(time: 1, kind: .leased, mac: phoneMAC, ip: ip)])
        h.cache.refresh()
        // Take the lease away behind the cache's back (no event): only a cache
        // that learned event 1 still answers yes without asking the store.
        var gone = lease
        gone.state = .released
        try h.leases.commitBlocking(leases: [gone], events: [])
        #expect(h.cache.holds(phoneMAC, address: ip, now: now), "event 1 was followed")
    }

    @Test func aTemplateNeedingAnUnknownVariableIsA500NotAnEmptyValue() async throws {
        let h = try Harness()
        try h.addPhone()
        try h.lease("127.0.0.1")
        try FileManager.default.createDirectory(atPath: h.overrideFolder + "/fanvil/device", withIntermediateDirectories: true)
        try "<x>{{no_such_var}}</x>".write(toFile: h.overrideFolder + "/fanvil/device/base.xml.mustache", atomically: true, encoding: .utf8)
        try await h.phoneApp().test { client in
            let response = try await client.execute(uri: "/0c383e07e16c.cfg", method: .get, headers: [.userAgent: fanvilUA])
            #expect(response.status == .internalServerError && String(buffer: response.body) == "render-error\n")
        }
    }
}

/// Collects whatever a raw TCP client receives.
final class ByteCollector: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let box: NIOLockedValueBox<ByteBuffer>
    init(_ box: NIOLockedValueBox<ByteBuffer>) { self.box = box }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var part = unwrapInboundIn(data)
        _ = box.withLockedValue { $0.writeBuffer(&part) }
    }
}

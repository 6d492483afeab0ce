import DHCPv4
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
@testable import PhoneSim

/// DISCOVER → OFFER → REQUEST → ACK through the relay agent against a fake
/// server, all on 127.0.0.x (no device binding).
@Suite(.serialized)
struct DHCPRelayTests {
    /// Answers like a DHCP server behind a relay: to the sender (the relay),
    /// address 127.64.1.<last MAC byte>, option 66. Drops the first
    /// `dropFirst` requests it sees.
    final class FakeServer: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let seen = NIOLockedValueBox<[DHCPMessage]>([])
        let dropFirst: Int
        let option66: String
        let leaseTime: UInt32?

        init(dropFirst: Int = 0, option66: String = "http://127.0.0.1:8080/$mac.cfg", leaseTime: UInt32? = nil) {
            self.dropFirst = dropFirst
            self.option66 = option66
            self.leaseTime = leaseTime
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = Self.unwrapInboundIn(data)
            guard let request = try? DHCPMessage.decode(Array(envelope.data.readableBytesView)) else { return }
            let count = seen.withLockedValue { $0.append(request); return $0.count }
            guard count > dropFirst, let mac = request.clientMAC else { return }
            var reply = DHCPMessage(op: .bootReply, xid: request.xid)
            reply.clientMAC = mac
            reply.giaddr = request.giaddr
            reply.yiaddr = IPv4Address(127, 64, 1, mac.bytes[5])
            reply.messageType = request.messageType == .discover ? .offer : .ack
            reply.options.set(.serverIdentifier, ipv4: IPv4Address(127, 0, 0, 3))
            reply.options.set(.tftpServerName, string: option66)
            if let leaseTime { reply.options.set(.leaseTime, uint32: leaseTime) }
            let out = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: context.channel.allocator.buffer(bytes: reply.encode()))
            context.writeAndFlush(Self.wrapOutboundOut(out), promise: nil)
        }
    }

    /// Runs `body` with a relay in front of `server`; shuts `group` down at the end.
    static func withRelay(
        _ server: FakeServer, group: any EventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1),
        _ body: (DHCPRelayAgent) async throws -> Void
    ) async throws {
        let channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(server) }
            }
            .bind(host: "127.0.0.3", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        let relay = try await DHCPRelayAgent.start(
            relay: IPv4Address(127, 0, 0, 2), port: port, device: nil, server: "127.0.0.3", serverPort: port, group: group)
        try await body(relay)
        await relay.close()
        try await channel.close()
        try await group.shutdownGracefully()
    }

    @Test func leaseThroughTheRelay() async throws {
        let server = FakeServer()
        try await Self.withRelay(server) { (relay: DHCPRelayAgent) in
            let mac = try #require(MACAddress("0c383e000007"))
            let lease = await DHCPLeaseClient(relay: relay, mac: mac).acquire(deadline: .now() + .seconds(60))
            #expect(lease?.address == IPv4Address(127, 64, 1, 7))
            #expect(lease?.provisioningURL == "http://127.0.0.1:8080/$mac.cfg")
            let seen = server.seen.withLockedValue { $0 }
            #expect(seen.map(\.messageType) == [.discover, .request])
            for request in seen {
                #expect(request.giaddr == IPv4Address(127, 0, 0, 2))
                #expect(request.hops == 1)
                #expect(request.clientMAC == mac)
                let wanted: Set<UInt8> = [1, 3, 6, 15, 42, 43, 66]
                #expect(wanted.isSubset(of: Set(request.parameterRequestList.map(\.rawValue))))
            }
            #expect(seen.last?.requestedIPAddress == IPv4Address(127, 64, 1, 7))
            #expect(seen.last?.serverIdentifier == IPv4Address(127, 0, 0, 3))
        }
    }

    @Test func repliesGoToTheirOwnPhone() async throws {
        try await Self.withRelay(FakeServer()) { (relay: DHCPRelayAgent) in
            let leases = await withTaskGroup(of: (UInt8, IPv4Address?).self) { group in
                for last in UInt8(1)...UInt8(20) {
                    group.addTask {
                        let mac = MACAddress(value: 0x0c383e000000 | UInt64(last))
                        return (last, await DHCPLeaseClient(relay: relay, mac: mac).acquire(deadline: .now() + .seconds(60))?.address)
                    }
                }
                var result: [UInt8: IPv4Address?] = [:]
                for await (last, address) in group { result[last] = address }
                return result
            }
            #expect(leases.count == 20)
            for (last, address) in leases { #expect(address == IPv4Address(127, 64, 1, last)) }
        }
    }

    @Test func aLostDiscoverIsRetransmitted() async throws {
        let server = FakeServer(dropFirst: 1)
        try await Self.withRelay(server) { (relay: DHCPRelayAgent) in
            let mac = try #require(MACAddress("0c383e000009"))
            let start = ContinuousClock.now
            let lease = await DHCPLeaseClient(relay: relay, mac: mac).acquire(deadline: .now() + .seconds(60))
            #expect(lease?.address == IPv4Address(127, 64, 1, 9))
            #expect(start.duration(to: .now) >= .seconds(3))
            #expect(server.seen.withLockedValue { $0.map(\.messageType) } == [.discover, .discover, .request])
        }
    }

    @Test func noServerGivesUpAtTheDeadline() async throws {
        try await Self.withRelay(FakeServer(dropFirst: .max)) { (relay: DHCPRelayAgent) in
            let mac = try #require(MACAddress("0c383e00000a"))
            let lease = await DHCPLeaseClient(relay: relay, mac: mac).acquire(deadline: .now() + .milliseconds(500))
            #expect(lease == nil)
        }
    }

    @Test func provisioningURLs() {
        #expect(HTTPURL.provisioning("http://10.0.0.1:8080/$mac.cfg", mac: "0c383e000001")?.description
            == "http://10.0.0.1:8080/0c383e000001.cfg")
        #expect(HTTPURL.provisioning("http://10.0.0.1/prov/", mac: "0c383e000001")?.target == "/prov/0c383e000001.cfg")
        #expect(HTTPURL.provisioning("tftp://10.0.0.1/", mac: "0c383e000001") == nil)
        let action = HTTPURL.action("http://127.0.0.1:8080/events/boot?mac=$mac&ip=$ip", mac: "0c383e000001", ip: "127.64.1.1")
        #expect(action?.target == "/events/boot?mac=0c383e000001&ip=127.64.1.1")
        #expect(action?.port == 8080)
    }
}

import Reloading
import DHCPServer
import DHCPv4
import Store
import Testing

/// `DHCPEngine.reload`: new settings for the next request, the lease table kept.
@Suite struct ReloadTests {
    static let newURL = "http://192.0.2.1:8080/v2/$mac.cfg"

    static func reloaded(_ change: (inout ServerSettings) -> Void) -> ServerSettings {
        var settings = Lab.settings()
        change(&settings)
        return settings
    }

    @Test func aNewClassOptionAppliesToTheNextRequestAndTheLeaseStays() throws {
        let engine = DHCPEngine(settings: Lab.settings(), leases: [])
        let client = Client(engine: engine)
        let first = try #require(client.dora(Lab.fanvil).ack.reply?.message)
        #expect(first.options.string(.tftpServerName) == Lab.url)
        try engine.reload(Self.reloaded { $0.classes[0].options[.tftpServerName] = Array(Self.newURL.utf8) })
        let again = try #require(client.dora(Lab.fanvil).ack.reply?.message)
        #expect(again.yiaddr == first.yiaddr, "the lease table survived the reload")
        #expect(again.options.string(.tftpServerName) == Self.newURL)
        #expect(engine.settings.classes[0].options[.tftpServerName] == Array(Self.newURL.utf8))
    }

    @Test func aNewReservationAndNewPoolsApply() throws {
        let engine = DHCPEngine(settings: Lab.settings(), leases: [])
        let newcomer = MACAddress("0c:38:3e:00:00:99")!
        try engine.reload(Self.reloaded {
            $0.reservations.append(Reservation(mac: newcomer, ip: IPv4Address(192, 0, 2, 50)))
            $0.subnets[0].pools = [IPv4Address(192, 0, 2, 150)...IPv4Address(192, 0, 2, 151)]
        })
        let client = Client(engine: engine)
        #expect(client.dora(newcomer).ack.reply?.message.yiaddr == IPv4Address(192, 0, 2, 50))
        #expect(client.dora(Lab.other).ack.reply?.message.yiaddr == IPv4Address(192, 0, 2, 150))
        let occupancy = engine.occupancy(now: client.now)
        #expect(occupancy[0].poolSize == 2, "the pool gauges follow the new pools")
    }

    @Test func aReservedAddressIsNoLongerHandedOutToOthers() throws {
        let engine = DHCPEngine(settings: Lab.settings(), leases: [])
        let owner = MACAddress("0c:38:3e:00:00:98")!
        // The first fresh address of the pool becomes reserved for `owner`.
        try engine.reload(Self.reloaded { $0.reservations.append(Reservation(mac: owner, ip: IPv4Address(192, 0, 2, 100))) })
        let other = try #require(Client(engine: engine).dora(Lab.other).ack.reply?.message)
        #expect(other.yiaddr == IPv4Address(192, 0, 2, 101))
    }

    enum RestartChange: String, CaseIterable, Sendable {
        case port, interfaces, transport, receiveBuffer, commitBatch, subnetOrder

        var key: String {
            switch self {
            case .port: "dhcp.port"
            case .interfaces, .transport: "dhcp.interfaces"
            case .receiveBuffer: "dhcp.receive_buffer_kib"
            case .commitBatch: "dhcp.commit_batch"
            case .subnetOrder: "dhcp.subnets (networks or their order)"
            }
        }

        func apply(_ s: inout ServerSettings) {
            switch self {
            case .port: s.port = 1067
            case .interfaces: s.interfaces = ["ap1"]
            case .transport: s.rawInterfaces = ["ap0"]
            case .receiveBuffer: s.receiveBuffer = 1 << 20
            case .commitBatch: s.commitBatch = 1
            case .subnetOrder: s.subnets.reverse()
            }
        }
    }

    @Test(arguments: RestartChange.allCases)
    func whatNeedsARestartIsRefusedAndNothingChanges(change: RestartChange) throws {
        let engine = DHCPEngine(settings: Lab.settings(), leases: [])
        var new = Self.reloaded(change.apply)
        new.classes[0].options[.tftpServerName] = Array(Self.newURL.utf8)
        #expect(throws: ReloadRefusal(keys: [change.key])) { try engine.reload(new) }
        let ack = try #require(Client(engine: engine).dora(Lab.fanvil).ack.reply?.message)
        #expect(ack.options.string(.tftpServerName) == Lab.url, "a refused reload changes nothing")
        #expect(ReloadRefusal(keys: [change.key]).description.contains("needs a restart"))
    }
}

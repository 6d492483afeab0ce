import DHCPServer
import DHCPv4
import Store

/// A small lab: subnet 192.0.2.0/24 with a three-address pool, a relayed
/// subnet 198.51.100.0/24, one Fanvil class and one reservation.
enum Lab {
    static let server = IPv4Address("192.0.2.1")!
    static let fanvil = MACAddress("0c:38:3e:07:e1:6c")!
    static let fanvil2 = MACAddress("00:a8:59:00:00:02")!
    static let other = MACAddress("02:00:00:00:00:01")!
    static let reserved = MACAddress("0c:38:3e:00:00:01")!
    static let url = "http://192.0.2.1:8080/$mac.cfg"
    static let interface = InterfaceBinding(name: "ap0", address: server, subnetIndex: 0)

    static func settings(
        unknown: UnknownClientPolicy = .serve, alwaysSend: Bool = true, poolEnd: UInt8 = 102
    ) -> ServerSettings {
        ServerSettings(
            interfaces: ["ap0"],
            subnets: [
                Subnet(network: IPv4Address("192.0.2.0")!, prefixLength: 24,
                       pools: [IPv4Address(192, 0, 2, 100)...IPv4Address(192, 0, 2, poolEnd)],
                       leaseTime: 600, router: server, dns: [server], ntp: [server], domain: "lab.example"),
                Subnet(network: IPv4Address("198.51.100.0")!, prefixLength: 24,
                       pools: [IPv4Address("198.51.100.10")!...IPv4Address("198.51.100.20")!], leaseTime: 900),
            ],
            classes: [
                ClientClass(name: "fanvil", ouis: [fanvil.oui, fanvil2.oui], vendorClassSubstrings: ["Fanvil"],
                            options: [.tftpServerName: Array(url.utf8), .vendorSpecific: Array(url.utf8)],
                            alwaysSend: alwaysSend),
            ],
            reservations: [
                Reservation(mac: reserved, ip: IPv4Address("192.0.2.10")!,
                            options: [.tftpServerName: Array("http://special/$mac.cfg".utf8)]),
            ],
            unknownClients: unknown, offerHold: 30, declineQuarantine: 3600)
    }

    static func message(
        _ type: MessageType, _ mac: MACAddress, xid: UInt32 = 0x1234, requested: IPv4Address? = nil,
        serverID: IPv4Address? = nil, ciaddr: IPv4Address = .any, giaddr: IPv4Address = .any,
        prl: [UInt8] = [1, 3, 6], broadcast: Bool = false
    ) -> DHCPMessage {
        var m = DHCPMessage(op: .bootRequest, xid: xid)
        m.clientMAC = mac
        m.messageType = type
        m.ciaddr = ciaddr
        m.giaddr = giaddr
        if !giaddr.isUnspecified { m.hops = 1 }
        if broadcast { m.flags = DHCPMessage.broadcastFlag }
        if let requested { m.options.set(.requestedIPAddress, ipv4: requested) }
        if let serverID { m.options.set(.serverIdentifier, ipv4: serverID) }
        m.options[.parameterRequestList] = prl
        m.options[.clientIdentifier] = [1] + mac.bytes
        return m
    }
}

/// Drives an engine through whole exchanges.
struct Client {
    let engine: DHCPEngine
    var now: Int64 = 1_000_000

    /// DISCOVER then REQUEST (SELECTING); returns the ACK outcome.
    func dora(_ mac: MACAddress, giaddr: IPv4Address = .any) -> (offer: DHCPOutcome, ack: DHCPOutcome) {
        let offer = engine.handle(Lab.message(.discover, mac, giaddr: giaddr), on: Lab.interface, now: now)
        let ip = offer.reply?.message.yiaddr ?? .any
        let ack = engine.handle(
            Lab.message(.request, mac, requested: ip, serverID: Lab.server, giaddr: giaddr), on: Lab.interface, now: now)
        return (offer, ack)
    }
}

extension MACAddress {
    /// The same MAC with its last octet replaced.
    func with(last: UInt8) -> MACAddress { MACAddress(value: value & ~0xFF | UInt64(last)) }
}

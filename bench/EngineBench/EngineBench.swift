import DHCPServer
import DHCPv4
import Dispatch
import Foundation

/// The DHCP hot path without sockets: decode, classify, allocate, build and
/// encode, for N full DORA exchanges from N distinct Fanvil MACs. Prints
/// nanoseconds per exchange; under `valgrind --tool=callgrind` the
/// instruction count per exchange is repeatable.
///
///     swift build -c release --product engine-bench
///     .build/release/engine-bench [EXCHANGES]
@main
struct EngineBench {
    static func main() {
        let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 50_000
        let server = IPv4Address(198, 18, 0, 1)
        let settings = ServerSettings(
            interfaces: ["bs0"],
            subnets: [Subnet(network: IPv4Address(198, 18, 0, 0), prefixLength: 16,
                             pools: [IPv4Address(198, 18, 1, 0)...IPv4Address(198, 18, 255, 254)])],
            classes: [ClientClass(name: "fanvil", ouis: [0x0c383e],
                                  options: [.tftpServerName: Array("http://198.18.0.1:8080/$mac.cfg".utf8)])])
        let engine = DHCPEngine(settings: settings, leases: [])
        let interface = InterfaceBinding(name: "bs0", address: server, subnetIndex: 0)
        let giaddr = IPv4Address(198, 18, 0, 2)

        // Requests as perfdhcp sends them (relayed by its own address), pre-encoded.
        var discovers: [[UInt8]] = []
        for i in 0..<count {
            var m = DHCPMessage(op: .bootRequest, xid: UInt32(i))
            m.clientMAC = MACAddress(value: 0x0c383e_000000 + UInt64(i))
            m.giaddr = giaddr
            m.hops = 1
            m.messageType = .discover
            m.options[.parameterRequestList] = [1, 28, 2, 3, 15, 6, 12]
            discovers.append(m.encode())
        }
        var bytesOut = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for (i, datagram) in discovers.enumerated() {
            let offer = engine.handle(datagram: datagram, on: interface, now: 1_000)
            guard let reply = offer.reply?.message else { fatalError("no offer for \(i): \(String(describing: offer.drop))") }
            bytesOut += reply.encode().count
            var request = DHCPMessage(op: .bootRequest, xid: UInt32(i))
            request.clientMAC = MACAddress(value: 0x0c383e_000000 + UInt64(i))
            request.giaddr = giaddr
            request.hops = 1
            request.messageType = .request
            request.options.set(.requestedIPAddress, ipv4: reply.yiaddr)
            request.options.set(.serverIdentifier, ipv4: server)
            let ack = engine.handle(datagram: request.encode(), on: interface, now: 1_000)
            guard let ackMessage = ack.reply?.message, ack.leases.count == 1 else { fatalError("no ack for \(i)") }
            bytesOut += ackMessage.encode().count
        }
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        let perExchange = Double(elapsed) / Double(count)
        print("exchanges=\(count) ns_per_DORA=\(Int(perExchange)) DORA_per_s=\(Int(1e9 / perExchange)) bytes_out=\(bytesOut)")
    }
}

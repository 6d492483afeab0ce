import DHCPv4
import Metrics

/// Counters for DHCP traffic, created once (not per packet).
final class DHCPMetrics: Sendable {
    private let received: [UInt8: Counter]
    private let sent: [UInt8: Counter]
    private let drops: [DropReason: Counter]

    init() {
        var received: [UInt8: Counter] = [:]
        var sent: [UInt8: Counter] = [:]
        for type in UInt8(1)...8 {
            let name = MessageType(rawValue: type).description.lowercased()
            received[type] = Counter(label: "autoprov_dhcp_packets_received_total", dimensions: [("type", name)])
            sent[type] = Counter(label: "autoprov_dhcp_packets_sent_total", dimensions: [("type", name)])
        }
        self.received = received
        self.sent = sent
        drops = Dictionary(uniqueKeysWithValues: DropReason.allCases.map {
            ($0, Counter(label: "autoprov_dhcp_drops_total", dimensions: [("reason", $0.rawValue)]))
        })
    }

    func received(_ type: MessageType?) { type.flatMap { received[$0.rawValue] }?.increment() }
    func sent(_ type: MessageType?) { type.flatMap { sent[$0.rawValue] }?.increment() }
    func dropped(_ reason: DropReason) { drops[reason]?.increment() }
}

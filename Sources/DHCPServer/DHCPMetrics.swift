import DHCPv4
import Metrics
import Synchronization

/// Counters for DHCP traffic: exported through swift-metrics (labels created
/// once, not per packet) and kept locally for the stats line logged on
/// SIGUSR1 (as dnsmasq does).
final class DHCPMetrics: Sendable {
    private let received: [UInt8: Counter]
    private let sent: [UInt8: Counter]
    private let drops: [DropReason: Counter]
    private let local = Mutex(Snapshot())

    struct Snapshot: Sendable {
        var received = [Int](repeating: 0, count: 9)
        var sent = [Int](repeating: 0, count: 9)
        var drops: [DropReason: Int] = [:]
    }

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

    func received(_ type: MessageType?) {
        guard let type, let counter = received[type.rawValue] else { return }
        counter.increment()
        local.withLock { $0.received[Int(type.rawValue)] += 1 }
    }

    func sent(_ type: MessageType?, count: Int = 1) {
        guard count > 0, let type, let counter = sent[type.rawValue] else { return }
        counter.increment(by: Int64(count))
        local.withLock { $0.sent[Int(type.rawValue)] += count }
    }

    func dropped(_ reason: DropReason, count: Int = 1) {
        guard count > 0 else { return }
        drops[reason]?.increment(by: Int64(count))
        local.withLock { $0.drops[reason, default: 0] += count }
    }

    /// `received_discover=10 sent_offer=10 drop_malformed=2 ...`, zeros left out.
    func summary() -> [String: String] {
        let snapshot = local.withLock { $0 }
        var fields: [String: String] = [:]
        for type in UInt8(1)...8 {
            let name = MessageType(rawValue: type).description.lowercased()
            if snapshot.received[Int(type)] > 0 { fields["received_\(name)"] = "\(snapshot.received[Int(type)])" }
            if snapshot.sent[Int(type)] > 0 { fields["sent_\(name)"] = "\(snapshot.sent[Int(type)])" }
        }
        for (reason, count) in snapshot.drops where count > 0 { fields["drop_\(reason.rawValue)"] = "\(count)" }
        return fields
    }
}

import DHCPv4
import Metrics

/// Counters of observe mode, labels made once:
/// `autoprov_dhcp_observed_total{type}` (discover ... inform, `other` for a
/// DHCP message of another type, `malformed` for a frame or message that
/// does not decode), `autoprov_dhcp_observed_leases_learned_total` (leases
/// written, renewals included) and `autoprov_dhcp_observed_ignored_total{reason}`.
final class ObserveMetrics: Sendable {
    private let types: [UInt8: Counter]
    private let other = Counter(label: "autoprov_dhcp_observed_total", dimensions: [("type", "other")])
    private let malformedCounter = Counter(label: "autoprov_dhcp_observed_total", dimensions: [("type", "malformed")])
    private let learnedCounter = Counter(label: "autoprov_dhcp_observed_leases_learned_total")
    private let ignoredCounters: [LeaseLearner.Ignored: Counter]

    init() {
        var types: [UInt8: Counter] = [:]
        for type in UInt8(1)...8 {
            types[type] = Counter(
                label: "autoprov_dhcp_observed_total",
                dimensions: [("type", MessageType(rawValue: type).description.lowercased())])
        }
        self.types = types
        ignoredCounters = Dictionary(uniqueKeysWithValues: LeaseLearner.Ignored.allCases.map {
            ($0, Counter(label: "autoprov_dhcp_observed_ignored_total", dimensions: [("reason", $0.rawValue)]))
        })
    }

    func seen(_ type: MessageType?) {
        (type.flatMap { types[$0.rawValue] } ?? other).increment()
    }

    func malformed() { malformedCounter.increment() }

    func learned(_ count: Int) {
        guard count > 0 else { return }
        learnedCounter.increment(by: Int64(count))
    }

    func ignored(_ reason: LeaseLearner.Ignored) { ignoredCounters[reason]?.increment() }
}

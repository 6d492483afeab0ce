import Metrics

/// `autoprov_sip_pnp_packets_total{result}` (one per received datagram,
/// by `PnPOutcome`) and `autoprov_sip_pnp_notify_total{result}`
/// (`gave-up`: no answer to the NOTIFY in 32 s). Counters are made once, up front, so every
/// label shows on `/metrics` from the start (at 0).
struct PnPMetrics: Sendable {
    private let packets: [PnPOutcome: Counter]
    let notifyGaveUp: Counter

    init() {
        var packets: [PnPOutcome: Counter] = [:]
        for outcome in PnPOutcome.allCases {
            packets[outcome] = Counter(label: "autoprov_sip_pnp_packets_total", dimensions: [("result", outcome.rawValue)])
        }
        self.packets = packets
        notifyGaveUp = Counter(label: "autoprov_sip_pnp_notify_total", dimensions: [("result", "gave-up")])
    }

    func count(_ outcome: PnPOutcome) {
        packets[outcome]?.increment()
    }
}

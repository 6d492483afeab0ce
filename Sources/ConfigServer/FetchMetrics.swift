import Metrics

/// `autoprov_config_fetches_total{status, reason}`: one counter per outcome,
/// made once.
struct FetchMetrics: Sendable {
    let served = Counter(label: "autoprov_config_fetches_total", dimensions: [("status", "200"), ("reason", "served")])
    let refusals: [FetchRefusal: Counter]
    /// Refusals from strangers counted but not written down (`RefusalSampler`).
    let unrecorded = Counter(label: "autoprov_config_refusals_unrecorded_total")

    init() {
        var refusals: [FetchRefusal: Counter] = [:]
        for reason in FetchRefusal.allCases {
            refusals[reason] = Counter(
                label: "autoprov_config_fetches_total",
                dimensions: [("status", String(reason.status.code)), ("reason", reason.rawValue)])
        }
        self.refusals = refusals
    }

    func refused(_ reason: FetchRefusal) { refusals[reason]?.increment() }
}

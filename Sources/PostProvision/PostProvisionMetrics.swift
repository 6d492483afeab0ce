import Metrics
import Store

/// `autoprov_provision_transitions_total{state}`: jobs entering each state;
/// `autoprov_provision_duration_seconds{outcome}`: from the trigger to
/// `verified` or `failed` (histogram); `autoprov_provision_jobs{state}`:
/// jobs in each state now (gauge, read from the store).
struct PostProvisionMetrics: Sendable {
    private let counters: [ProvisionJob.State: Counter]
    private let durations: [ProvisionJob.State: Timer]
    private let gauges: [ProvisionJob.State: Gauge]

    init() {
        var counters: [ProvisionJob.State: Counter] = [:]
        var gauges: [ProvisionJob.State: Gauge] = [:]
        for state in ProvisionJob.State.allCases {
            counters[state] = Counter(label: "autoprov_provision_transitions_total", dimensions: [("state", state.rawValue)])
            gauges[state] = Gauge(label: "autoprov_provision_jobs", dimensions: [("state", state.rawValue)])
        }
        self.counters = counters
        self.gauges = gauges
        durations = Dictionary(uniqueKeysWithValues: [ProvisionJob.State.verified, .failed].map {
            ($0, Timer(label: "autoprov_provision_duration_seconds", dimensions: [("outcome", $0.rawValue)]))
        })
    }

    func transition(to state: ProvisionJob.State) {
        counters[state]?.increment()
    }

    /// A job became final `seconds` after its trigger.
    func finished(_ state: ProvisionJob.State, after seconds: Double) {
        durations[state]?.recordNanoseconds(Int64(max(0, seconds) * 1e9))
    }

    /// Jobs per state; states with none are set to 0.
    func jobs(_ counts: [ProvisionJob.State: Int]) {
        for (state, gauge) in gauges { gauge.record(counts[state] ?? 0) }
    }
}

import Metrics
import Store

/// `autoprov_provision_transitions_total{state}`: jobs entering each state.
struct PostProvisionMetrics: Sendable {
    private let counters: [ProvisionJob.State: Counter]

    init() {
        var counters: [ProvisionJob.State: Counter] = [:]
        for state in ProvisionJob.State.allCases {
            counters[state] = Counter(label: "autoprov_provision_transitions_total", dimensions: [("state", state.rawValue)])
        }
        self.counters = counters
    }

    func transition(to state: ProvisionJob.State) {
        counters[state]?.increment()
    }
}

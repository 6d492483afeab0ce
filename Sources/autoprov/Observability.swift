import AutoprovConfig
import ConfigServer
import ListenerReadiness
import Metrics
import Prometheus
import Synchronization

/// The metrics backend (one Prometheus registry behind swift-metrics) and
/// the readiness of `serve`, both shown on the admin listener
/// (`HealthRoutes`); systemd's READY=1 waits for the same readiness.
final class Observability: Sendable {
    let registry: PrometheusCollectorRegistry
    let readiness: Readiness
    private let scrapeHooks = Mutex<[@Sendable () -> Void]>([])
    /// When the hooks last ran: at most once a second, however often
    /// `/metrics` (no token) is asked (they scan the lease table under its lock).
    private let lastRefresh = Mutex<ContinuousClock.Instant?>(nil)

    /// Bootstraps swift-metrics (once per process: call it before any
    /// metric is made) and names what readiness waits for.
    static func bootstrap(_ settings: AutoprovSettings) -> Observability {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            "autoprov_http_request_duration_seconds": [
                .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5),
                .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                .milliseconds(500), .seconds(1),
            ],
            "autoprov_provision_duration_seconds": [1, 2, 5, 10, 20, 30, 60, 120, 300, 600].map { .seconds($0) },
        ]
        MetricsSystem.bootstrap(factory)
        return Observability(registry: registry, readiness: Readiness(waitingFor: Listener.expected(by: settings)))
    }

    init(registry: PrometheusCollectorRegistry, readiness: Readiness) {
        self.registry = registry
        self.readiness = readiness
    }

    /// `hook` runs before each scrape (gauges read from the lease table or the store).
    func onScrape(_ hook: @escaping @Sendable () -> Void) {
        scrapeHooks.withLock { $0.append(hook) }
    }

    var healthRoutes: HealthRoutes {
        HealthRoutes(registry: registry, readiness: readiness) { [self] in
            let now = ContinuousClock.now
            let due = lastRefresh.withLock { last in
                guard last.map({ now - $0 >= .seconds(1) }) ?? true else { return false }
                last = now
                return true
            }
            guard due else { return }
            for hook in scrapeHooks.withLock({ $0 }) { hook() }
        }
    }
}

import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Applies the `RetentionPolicy` in the background: once shortly after
/// start, then every `policy.interval`. What it deletes is logged and
/// counted (`autoprov_store_pruned_events_total{table}`); a failed pass is
/// logged and tried again at the next interval.
public final class RetentionService: Service, Sendable {
    let store: any HistoryPruning
    let policy: RetentionPolicy
    let logger: Logger
    let now: @Sendable () -> Double
    private let deviceEvents = Counter(label: "autoprov_store_pruned_events_total", dimensions: [("table", "device_event")])
    private let leaseEvents = Counter(label: "autoprov_store_pruned_events_total", dimensions: [("table", "lease_event")])

    public init(
        store: any HistoryPruning, policy: RetentionPolicy, logger: Logger,
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.store = store
        self.policy = policy
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        guard policy.maxAge > 0 || policy.eventsPerDevice > 0 else { return }
        // The first pass a little after start, off the start-up path.
        var delay = min(policy.interval, .seconds(60))
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let wait = delay
            guard (try? await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }) != nil else { return }
            delay = policy.interval
            pruneOnce()
        }
    }

    /// One pass; returns what it deleted (nil when it failed).
    @discardableResult
    public func pruneOnce() -> PruneCount? {
        do {
            let count = try store.prune(policy, now: now())
            deviceEvents.increment(by: count.deviceEvents)
            leaseEvents.increment(by: count.leaseEvents)
            if count.total > 0 {
                logger.info("old events pruned", metadata: [
                    "device_events": "\(count.deviceEvents)", "lease_events": "\(count.leaseEvents)",
                ])
            }
            return count
        } catch {
            logger.error("pruning old events failed", metadata: ["error": "\(error)"])
            return nil
        }
    }
}

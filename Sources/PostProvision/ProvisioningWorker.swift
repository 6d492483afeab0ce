import DHCPv4
import Foundation
import Logging
import PhoneAPI
import Reloading
import ServiceLifecycle
import Store

/// Follows the trigger events in the store, and runs due jobs, at most
/// `concurrency` at a time. Everything it knows is in the store: after a
/// crash or a restart it picks up every job where it was. It looks at the
/// store when `changes` says a commit in this process changed it (a lease
/// granted, a config fetched, an attempt finished), when the next job falls
/// due, and otherwise every `interval` (for another process writing the
/// same file); idle, it costs nothing in between.
public final class ProvisioningWorker: Service, Sendable {
    /// What a reload (SIGHUP) replaces together: the settings, and the
    /// trigger policy and attempt built from them. Attempts already running
    /// finish with the ones they started with.
    struct Configured: Sendable {
        var settings: PostProvisionSettings
        var policy: TriggerPolicy
        var attempt: ProvisionAttempt
    }

    let configured: Reloadable<Configured>
    var settings: PostProvisionSettings { configured.current.settings }
    let jobs: any ProvisionJobStore
    let makeAttempt: @Sendable (PostProvisionSettings) -> ProvisionAttempt
    let metrics: PostProvisionMetrics
    let changes: ChangeSignal
    let interval: Duration
    let logger: Logger
    let now: @Sendable () -> Double

    public init(
        settings: PostProvisionSettings, jobs: any ProvisionJobStore, inventory: any InventoryStore,
        client: any PhoneAPIClient, pushItems: any PushItemSource, changes: ChangeSignal = ChangeSignal(),
        interval: Duration = .seconds(1), logger: Logger, now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.jobs = jobs
        let metrics = PostProvisionMetrics()
        self.metrics = metrics
        makeAttempt = { settings in
            ProvisionAttempt(
                settings: settings, client: client, inventory: inventory, jobs: jobs, pushItems: pushItems,
                metrics: metrics, logger: logger, now: now)
        }
        configured = Reloadable(Configured(
            settings: settings, policy: TriggerPolicy(settings: settings), attempt: makeAttempt(settings)))
        self.changes = changes
        self.interval = interval
        self.logger = logger
        self.now = now
    }

    enum Wake: Sendable {
        case tick
        case finished(MACAddress)
    }

    public func run() async throws {
        logger.info("provisioning worker started", metadata: [
            "concurrency": "\(settings.concurrency)", "api": "\(settings.scheme.rawValue)://<phone>:\(settings.port)/xmlService",
        ])
        await withTaskGroup(of: Wake.self) { group in
            var inflight: Set<MACAddress> = []
            var ticking = false
            var counted = -Double.infinity
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let seen = changes.generation
                ingest()
                if now() - counted >= 5 {
                    counted = now()
                    refreshGauges()
                }
                let attempt = configured.current.attempt
                for job in claim(excluding: inflight) {
                    inflight.insert(job.mac)
                    group.addTask {
                        await attempt.run(job)
                        return .finished(job.mac)
                    }
                }
                if !ticking {
                    ticking = true
                    let timeout = untilNextDue()
                    group.addTask { [changes] in
                        // A burst of commits (a busy DHCP server) wakes the loop once per 100 ms.
                        _ = await cancelWhenGracefulShutdown {
                            await changes.wait(after: seen, timeout: timeout)
                            try? await Task.sleep(for: .milliseconds(100))
                        }
                        return .tick
                    }
                }
                switch await group.next() {
                case .tick?: ticking = false
                case .finished(let mac)?: inflight.remove(mac)
                case nil: break
                }
            }
            // Attempts in flight stop where they are; their jobs stay due in
            // the store and resume at the next start.
            group.cancelAll()
        }
        logger.info("provisioning worker stopped")
    }

    /// How long the loop may sleep: until the next job falls due, at most
    /// `interval`. A job due already was just left unclaimed (running, or no
    /// free slot): an attempt finishing wakes the loop for it.
    func untilNextDue() -> Duration {
        guard let due = try? jobs.nextDue() else { return interval }
        let left = due - now()
        guard left > 0 else { return interval }
        return min(.milliseconds(Int64((left * 1000).rounded(.up))), interval)
    }

    /// New settings (SIGHUP) for the triggers and attempts that start from
    /// now on; the phone API client's timeouts and TLS stay as started.
    public func reload(settings new: PostProvisionSettings) throws(ReloadRefusal) {
        let keys = settings.restartNeeded(toApply: new)
        guard keys.isEmpty else { throw ReloadRefusal(keys: keys) }
        configured.replace(Configured(settings: new, policy: TriggerPolicy(settings: new), attempt: makeAttempt(new)))
    }

    /// Sets `autoprov_provision_jobs{state}` from the store (every few
    /// seconds, and before each scrape of `/metrics`).
    public func refreshGauges() {
        do {
            metrics.jobs(try jobs.jobCounts())
        } catch {
            logger.error("provisioning jobs not counted", metadata: ["error": "\(error)"])
        }
    }

    /// Turns new trigger events into job resets (one transaction per batch).
    func ingest() {
        do {
            let t = now()
            let policy = configured.current.policy
            while try jobs.ingestTriggers(limit: 1000, now: t, { event, current in
                policy.plan(event, current: current, now: t)
            }) > 0 {}
        } catch {
            logger.error("provisioning triggers not read", metadata: ["error": "\(error)"])
        }
    }

    /// Due jobs not already running, up to the free slots.
    func claim(excluding inflight: Set<MACAddress>) -> [ProvisionJob] {
        let free = settings.concurrency - inflight.count
        guard free > 0 else { return [] }
        do {
            return Array(try jobs.dueJobs(now: now(), limit: free + inflight.count)
                .filter { !inflight.contains($0.mac) }.prefix(free))
        } catch {
            logger.error("provisioning jobs not read", metadata: ["error": "\(error)"])
            return []
        }
    }
}

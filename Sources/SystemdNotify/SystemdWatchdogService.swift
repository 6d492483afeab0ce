import Logging
import ServiceLifecycle

/// Pings systemd's watchdog (WATCHDOG=1) every half `WatchdogSec=` while
/// the process is healthy: the loop runs on the same executor as every
/// other task, and each ping first asks `isHealthy` (in `serve`: the store
/// answers a read). A stuck runtime or a failing check stops the pings and
/// systemd restarts the service. Stops at graceful shutdown (STOPPING=1 has
/// told systemd to stop watching).
public struct SystemdWatchdogService: Service {
    let notifier: SystemdNotifier
    let watchdog: SystemdWatchdog
    let isHealthy: @Sendable () async -> Bool
    let logger: Logger

    public init(
        notifier: SystemdNotifier, watchdog: SystemdWatchdog, logger: Logger,
        isHealthy: @escaping @Sendable () async -> Bool = { true }
    ) {
        self.notifier = notifier
        self.watchdog = watchdog
        self.isHealthy = isHealthy
        self.logger = logger
    }

    public func run() async throws {
        logger.info("systemd watchdog on", metadata: [
            "timeout": "\(watchdog.timeout)", "ping_every": "\(watchdog.pingInterval)",
        ])
        try? await cancelWhenGracefulShutdown {
            var unhealthy = false
            while true {
                if await isHealthy() {
                    if unhealthy { logger.notice("healthy again: systemd watchdog pings resume") }
                    unhealthy = false
                    do { try notifier.watchdog() } catch { logger.warning("systemd watchdog ping failed: \(error)") }
                } else if !unhealthy {
                    unhealthy = true
                    logger.error("health check failed: systemd watchdog pings withheld")
                }
                try await Task.sleep(for: watchdog.pingInterval)
            }
        }
    }
}

extension SystemdWatchdogService: CustomStringConvertible {
    public var description: String { "SystemdWatchdogService" }
}

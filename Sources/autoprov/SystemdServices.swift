import AutoprovConfig
import Foundation
import ListenerReadiness
import Logging
import ServiceLifecycle
import Store
import SystemdNotify

/// systemd integration of `serve` (Type=notify): the services that notify
/// systemd, READY=1 once `serve`'s readiness (`Observability.readiness`,
/// the same one `/readyz` reads) is up. Outside systemd (no NOTIFY_SOCKET)
/// the services only log.
enum SystemdServices {
    /// READY=1 / STOPPING=1, and WATCHDOG=1 pings when systemd asks for them
    /// (the store answering a read is the health check). Last in the group,
    /// so that STOPPING=1 leaves before anything closes.
    static func make(
        readiness: Readiness, leases: any LeaseStore, onStopping: @escaping @Sendable () -> Void = {},
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [any Service] {
        let logger = Logger(label: "autoprov.systemd")
        let notifier = SystemdNotifier(environment: environment)
        var services: [any Service] = []
        if notifier.isEnabled, let watchdog = SystemdWatchdog(environment: environment) {
            services.append(SystemdWatchdogService(notifier: notifier, watchdog: watchdog, logger: logger) {
                (try? leases.lastEventID()) != nil
            })
        }
        services.append(SystemdLifecycleService(
            notifier: notifier, readiness: readiness, logger: logger, onStopping: onStopping))
        return services
    }
}

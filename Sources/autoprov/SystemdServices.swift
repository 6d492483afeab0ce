import AutoprovConfig
import Foundation
import Logging
import ServiceLifecycle
import Store
import SystemdNotify

/// systemd integration of `serve` (Type=notify): which listeners must be
/// bound before READY=1, and the services that notify systemd. Outside
/// systemd (no NOTIFY_SOCKET) the services only log.
enum SystemdServices {
    /// Listener names, as the services mark them in the `ListenerReadiness`.
    static let dhcp = "dhcp"
    static let dhcpObserve = "dhcp-observe"
    static let configHTTP = "config-http"
    static let configHTTPS = "config-https"
    static let admin = "admin"
    static let sipPnP = "sip-pnp"

    /// The listeners this config starts.
    static func readiness(for settings: AutoprovSettings) -> ListenerReadiness {
        var names: [String] = []
        if settings.dhcpEnabled && !settings.dhcp.interfaces.isEmpty { names.append(dhcp) }
        if settings.dhcpEnabled && !settings.observeInterfaces.isEmpty { names.append(dhcpObserve) }
        if settings.configServer.enabled {
            names.append(configHTTP)
            if settings.configServer.https != nil { names.append(configHTTPS) }
        }
        if settings.admin.enabled { names.append(admin) }
        if settings.sipPnP.enabled { names.append(sipPnP) }
        return ListenerReadiness(expecting: names)
    }

    /// READY=1 / STOPPING=1, and WATCHDOG=1 pings when systemd asks for them
    /// (the store answering a read is the health check). Last in the group,
    /// so that STOPPING=1 leaves before anything closes.
    static func make(
        readiness: ListenerReadiness, leases: any LeaseStore, onStopping: @escaping @Sendable () -> Void = {},
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

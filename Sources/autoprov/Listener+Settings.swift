import AutoprovConfig
import ListenerReadiness

extension Listener {
    /// What `serve` waits for with this configuration (the one place that
    /// builds the list): the store, then each listener it will bind, in the
    /// order `GET /readyz` and systemd's STATUS= name them.
    static func expected(by settings: AutoprovSettings) -> [Listener] {
        var parts: [Listener] = [.store]
        if settings.dhcpEnabled && !settings.dhcp.interfaces.isEmpty { parts.append(.dhcp) }
        if settings.dhcpEnabled && !settings.observeInterfaces.isEmpty { parts.append(.dhcpObserve) }
        if settings.configServer.enabled {
            parts.append(.configHTTP)
            if settings.configServer.https != nil { parts.append(.configHTTPS) }
        }
        if settings.admin.enabled { parts.append(.admin) }
        if settings.sipPnP.enabled { parts.append(.sipPnP) }
        return parts
    }
}

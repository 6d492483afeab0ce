/// What `serve` waits for before it is ready: the store (open), then each
/// listener it starts (bound). One spelling, shown by `GET /readyz` and in
/// systemd's STATUS=; the raw values follow the configuration's section
/// names, so "not ready: config_server" points at `config_server:`.
public enum Listener: String, Sendable, Hashable, CaseIterable {
    /// The store, open: not a socket, but every listener needs it.
    case store
    /// The DHCP responder's sockets on `dhcp.interfaces`.
    case dhcp
    /// Observe mode's capture handles (all of them count as one).
    case dhcpObserve = "dhcp_observe"
    /// The phones' file server over HTTP (`config_server.listen`).
    case configHTTP = "config_server"
    /// The phones' file server over HTTPS (`config_server.https.listen`).
    case configHTTPS = "config_server_https"
    /// The admin API, the status page, /metrics and the probes.
    case admin
    /// SIP PnP's multicast sockets (`sip_pnp.interfaces`).
    case sipPnP = "sip_pnp"
}

extension Listener: CustomStringConvertible {
    public var description: String { rawValue }
}

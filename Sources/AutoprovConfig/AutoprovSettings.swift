import ConfigServer
import DHCPServer
import Logging
import PostProvision
import Rendering
import SIPPnP
import Store

/// The validated configuration every component is built from.
public struct AutoprovSettings: Sendable {
    public var storePath: String
    public var synchronous: SQLiteLeaseStore.Synchronous
    /// How much event history the store keeps (`store.retention`).
    public var retention = RetentionPolicy()
    public var logLevel: Logger.Level
    public var dhcpEnabled: Bool
    public var dhcp: ServerSettings
    public var render: RenderSettings
    public var configServer: ConfigServerSettings
    public var admin: AdminSettings
    public var postProvision: PostProvisionSettings
    /// Interfaces where another DHCP server answers (`mode: observe`):
    /// autoprov only sniffs them, never sends.
    public var observeInterfaces: [String] = []
    public var sipPnP: SIPPnPSettings
}

/// Where the admin API listens and where its token is kept.
public struct AdminSettings: Sendable {
    public var enabled: Bool
    public var listen: ListenAddress
    public var tokenFile: String
    /// `admin.limits`: the admin listener's connections and request deadline.
    public var limits = ConnectionLimits.admin
}

import DHCPServer
import Logging
import Store

/// The validated configuration every component is built from.
public struct AutoprovSettings: Sendable {
    public var storePath: String
    public var synchronous: SQLiteLeaseStore.Synchronous
    public var logLevel: Logger.Level
    public var dhcpEnabled: Bool
    public var dhcp: ServerSettings
}

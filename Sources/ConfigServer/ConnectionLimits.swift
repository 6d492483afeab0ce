import NIOCore

/// The limits of one HTTP listener (`config_server.limits`, `admin.limits`):
/// how many connections it holds, in all and from one source address, and
/// how long a connection has to deliver each whole request. Every
/// listener has them, so running out of descriptors degrades a listener,
/// never the process or DHCP.
public struct ConnectionLimits: Sendable, Equatable {
    /// Connections held at once by the listener (all its sockets together).
    /// Lowered at start to a quarter of the process's descriptor limit.
    public var maxConnections: Int
    /// Connections held at once from one source address.
    public var maxConnectionsPerAddress: Int
    /// Seconds a connection has to deliver each whole request, head and body,
    /// counted from its accept or from the end of the previous answer: bytes
    /// that keep trickling in do not extend it. It is also the keep-alive
    /// idle time.
    public var requestDeadline: Double

    public init(maxConnections: Int = 1024, maxConnectionsPerAddress: Int = 32, requestDeadline: Double = 10) {
        self.maxConnections = maxConnections
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.requestDeadline = requestDeadline
    }

    /// The admin listener's defaults: few clients, bodies (JSON, CSV) to read.
    public static let admin = ConnectionLimits(maxConnections: 64, maxConnectionsPerAddress: 16, requestDeadline: 30)

    public var deadline: TimeAmount { .nanoseconds(Int64(requestDeadline * 1_000_000_000)) }
}

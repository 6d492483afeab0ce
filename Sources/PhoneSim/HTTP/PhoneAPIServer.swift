import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// One simulated phone's `POST /xmlService` listener (HTTP/1.1, keep-alive)
/// on its leased address, on the fleet's shared event loop group.
public final class PhoneAPIServer: Sendable {
    private let listener: any Channel
    private let connections: NIOLockedValueBox<[ObjectIdentifier: any Channel]>
    /// The bound port (useful when asked for port 0).
    public let port: Int

    private init(listener: any Channel, connections: NIOLockedValueBox<[ObjectIdentifier: any Channel]>) {
        self.listener = listener
        self.connections = connections
        self.port = listener.localAddress?.port ?? 0
    }

    /// Starts listening on `host:port`. `effect` runs after a reply that
    /// asks for one has been written (or, for a dropped connection, at once).
    public static func start(
        state: PhoneState, host: String, port: Int, group: any EventLoopGroup,
        events: @escaping PhoneEventSink, effect: @escaping @Sendable (XMLServiceAnswer.Effect) -> Void
    ) async throws -> PhoneAPIServer {
        let connections = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])
        let auth = PhoneAuth(realm: "Fanvil \(state.identity.model)")
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 64)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                let id = ObjectIdentifier(channel)
                connections.withLockedValue { $0[id] = channel }
                channel.closeFuture.whenComplete { _ in _ = connections.withLockedValue { $0.removeValue(forKey: id) } }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        PhoneAPIHandler(state: state, auth: auth, events: events, effect: effect))
                }
            }
            .bind(host: host, port: port).get()
        return PhoneAPIServer(listener: listener, connections: connections)
    }

    /// Stops listening and closes every open connection. Idempotent.
    public func close() async {
        try? await listener.close()
        let open = connections.withLockedValue { Array($0.values) }
        for channel in open { try? await channel.close() }
    }
}

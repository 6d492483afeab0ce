#if canImport(Glibc)
import Glibc
#endif
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import ServiceLifecycle

/// The listener phones fetch their files from: SwiftNIO's HTTP/1.1 codec and
/// one small handler, with no task per connection: phones open a
/// connection per file, so accepting must be cheap. Optional TLS.
/// Limited (`ConnectionLimits`): connections in all and per source address
/// (over them a connection is closed as soon as it is accepted), a deadline
/// for each whole request, no request bodies; accepting pauses when the
/// process is out of descriptors (`AcceptPauseHandler`) instead of retrying
/// in a loop.
public final class PhoneHTTPServer: Service, Sendable {
    let host: String
    let port: Int
    let service: PhoneFileService
    let tls: NIOSSLContext?
    let limits: ConnectionLimits
    /// Counts this listener's connections over all its sockets.
    public let limiter: ConnectionLimiter
    let logger: Logger
    let group: MultiThreadedEventLoopGroup
    let onListening: @Sendable () async -> Void
    /// `autoprov_http_request_duration_seconds{listener}`: request read to response written.
    let latency: Timer

    /// `onListening` runs once every listening socket is bound (readiness).
    public init(
        host: String, port: Int, service: PhoneFileService, tls: NIOSSLContext? = nil, limits: ConnectionLimits = ConnectionLimits(),
        logger: Logger, group: MultiThreadedEventLoopGroup = .singleton, onListening: @escaping @Sendable () async -> Void = {}
    ) {
        self.onListening = onListening
        latency = Timer(label: "autoprov_http_request_duration_seconds", dimensions: [("listener", tls == nil ? "http" : "https")])
        self.host = host
        self.port = port
        self.service = service
        self.tls = tls
        self.limits = limits
        limiter = ConnectionLimiter(limits: limits, listener: tls == nil ? "http" : "https")
        self.logger = logger
        self.group = group
    }

    /// Binds one listening socket per event loop (SO_REUSEPORT: the kernel
    /// spreads new connections, so accepting is not one thread's job) and
    /// returns them; the first one's `localAddress` has the port when
    /// `port` is 0.
    public func bind() async throws -> [any Channel] {
        var channels: [any Channel] = []
        var port = port
        do {
            for loop in group.makeIterator() {
                let channel = try await bind(on: loop, port: port)
                channels.append(channel)
                port = channel.localAddress?.port ?? port
            }
        } catch {
            for channel in channels { try? await channel.close().get() }
            throw error
        }
        return channels
    }

    func bind(on loop: any EventLoop, port: Int) async throws -> any Channel {
        let service = service, tls = tls, latency = latency, limiter = limiter, logger = logger
        let listener = tls == nil ? "http" : "https"
        let closed = loop.makePromise(of: Void.self)
        let timeout = limits.deadline
        let sweeper = try await loop.submit {
            IdleConnectionSweeper.start(on: loop, timeout: timeout, until: closed.futureResult)
        }.get()
        let bootstrap = ServerBootstrap(group: loop)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.maxMessagesPerRead, value: 16)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(ChannelOptions.socket(SocketOptionLevel(SOL_SOCKET), SO_REUSEPORT), value: 1)
            // Out of descriptors (EMFILE), accept() fails while the socket stays
            // readable: without a pause the loop retries at once, forever.
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AcceptPauseHandler(listener: listener, logger: logger))
                }
            }
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(ConnectionLimitHandler(limiter: limiter))
                    if let tls { try sync.addHandler(NIOSSLServerHandler(context: tls)) }
                    // Requests on a connection are answered in order, synchronously, by
                    // one handler: no pipelining helper is needed, and that handler
                    // answers malformed requests itself (one handler less per connection).
                    try sync.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: false)
                    try sync.addHandler(PhoneHTTPHandler(service: service, sweeper: sweeper, latency: latency, limiter: limiter))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: host, port: port).get()
            channel.closeFuture.cascade(to: closed)
            return channel
        } catch {
            closed.succeed()
            throw error
        }
    }

    public func run() async throws {
        let channels = try await bind()
        logger.info("config server listening", metadata: [
            "address": "\(channels.first?.localAddress?.description ?? "\(host):\(port)")", "tls": "\(tls != nil)",
            "sockets": "\(channels.count)", "max_connections": "\(limiter.maxConnections)",
            "max_connections_per_address": "\(limits.maxConnectionsPerAddress)", "request_deadline": "\(limits.requestDeadline)",
        ])
        await onListening()
        // Cancelled too (another service failed to start): close, or the group never ends.
        await withTaskCancellationOrGracefulShutdownHandler {
            for channel in channels { try? await channel.closeFuture.get() }
        } onCancelOrGracefulShutdown: {
            for channel in channels { channel.close(promise: nil) }
        }
    }
}

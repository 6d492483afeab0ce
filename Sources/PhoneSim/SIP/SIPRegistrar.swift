import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// A minimal UDP SIP registrar with Digest authentication, for tests and
/// `phonesim registrar`: REGISTER without credentials gets 401 and a
/// stateless HMAC nonce; valid credentials get 200 with the Contact and
/// Expires echoed; an unknown user or a wrong response gets 403; other
/// methods 405 (known) or 501. Runs as a swift-service-lifecycle `Service`.
public final class SIPRegistrar: Service, Sendable {
    public let realm: String
    public let host: String
    public let port: Int
    let users: [String: String]
    let nonces: SIPNonce
    let group: any EventLoopGroup
    let logger: Logger
    let onEvent: @Sendable (SIPRegistrarEvent) -> Void

    struct State {
        var bindings: [String: String] = [:]
        var registrations = 0
    }
    let state = Mutex(State())

    private let socket: LazyUDPSocket

    /// users: authUser -> password. port 0 binds an ephemeral port (see `bind()`).
    /// Nonces are accepted for `nonceLifetime` seconds, then answered 401 stale=true.
    public init(
        users: [String: String], realm: String = "autoprov", host: String = "127.0.0.1", port: Int = 5060,
        nonceLifetime: Double = 300,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "phonesim.registrar"),
        onEvent: @escaping @Sendable (SIPRegistrarEvent) -> Void = { _ in }
    ) {
        self.users = users
        self.realm = realm
        self.host = host
        self.port = port
        self.group = group
        self.logger = logger
        self.onEvent = onEvent
        nonces = SIPNonce(lifetime: nonceLifetime)
        socket = LazyUDPSocket(host: host, port: port, group: group)
    }

    /// Current bindings: AOR user -> contact URI.
    public var bindings: [String: String] { state.withLock { $0.bindings } }

    /// Successful registrations so far (re-registrations count again).
    public var registrationCount: Int { state.withLock { $0.registrations } }

    /// Binds the socket (idempotent) and returns the bound address.
    @discardableResult
    public func bind() async throws -> SocketAddress {
        let channel = try await channel()
        guard let address = channel.localAddress else { throw ChannelError.ioOnClosedChannel }
        return address
    }

    /// Binds if needed and serves until graceful shutdown, cancellation or `close()`.
    public func run() async throws {
        let channel = try await channel()
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await channel.closeFuture.get()
            } onCancel: {
                channel.close(promise: nil)
            }
        } onGracefulShutdown: {
            channel.close(promise: nil)
        }
    }

    /// Closes the socket. Idempotent.
    public func close() async {
        await socket.close()
    }

    private func channel() async throws -> any Channel {
        try await socket.channel { [self] loop in
            DatagramBootstrap(group: loop)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
                .channelOption(.datagramVectorReadMessageCount, value: 32)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 32 * 2048))
                .channelInitializer { [self] channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(SIPRegistrarHandler(registrar: self))
                    }
                }
        }
    }

    /// Parses a datagram and returns the bytes to answer with, if any.
    func respond(to bytes: some Collection<UInt8>, from source: SocketAddress) -> [UInt8]? {
        guard let request = try? SIPMessage(parsing: bytes) else { return nil }
        let sourceText = "\(source.ipAddress ?? "?"):\(source.port ?? 0)"
        guard let (response, event) = handle(request, source: sourceText, now: Date().timeIntervalSince1970) else { return nil }
        if let event { onEvent(event) }
        return response.serialized()
    }
}

/// Answers each datagram to its source address.
final class SIPRegistrarHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    let registrar: SIPRegistrar

    init(registrar: SIPRegistrar) { self.registrar = registrar }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard let reply = registrar.respond(to: envelope.data.readableBytesView, from: envelope.remoteAddress) else { return }
        let out = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: context.channel.allocator.buffer(bytes: reply))
        context.write(Self.wrapOutboundOut(out), promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A bad datagram or an ICMP error must not stop the registrar.
    }
}

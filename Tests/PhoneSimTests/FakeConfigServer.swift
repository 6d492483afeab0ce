import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A config server for tests: answers `GET /<mac>.cfg` with a fixed body
/// and 204 to anything else, recording each request's target, source
/// address and User-Agent.
final class FakeConfigServer: Sendable {
    struct Request: Sendable, Equatable {
        var target: String
        var source: String
        var userAgent: String
    }

    let requests = NIOLockedValueBox<[Request]>([])
    private let files: [String: String]
    private let channel = NIOLockedValueBox<(any Channel)?>(nil)

    init(files: [String: String]) { self.files = files }

    /// Listens on `host`, returns the port.
    func start(host: String, group: any EventLoopGroup) async throws -> Int {
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(server: self))
                }
            }
            .bind(host: host, port: 0).get()
        channel.withLockedValue { $0 = listener }
        return listener.localAddress?.port ?? 0
    }

    func close() async {
        try? await channel.withLockedValue { $0 }?.close()
    }

    func answer(_ head: HTTPRequestHead, from source: String) -> (HTTPResponseStatus, String) {
        requests.withLockedValue {
            $0.append(Request(target: head.uri, source: source, userAgent: head.headers.first(name: "user-agent") ?? ""))
        }
        if let body = files[head.uri] { return (.ok, body) }
        return (.noContent, "")
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let server: FakeConfigServer
        var head: HTTPRequestHead?

        init(server: FakeConfigServer) { self.server = server }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch Self.unwrapInboundIn(data) {
            case let .head(head): self.head = head
            case .body: break
            case .end:
                guard let head else { return }
                let (status, body) = server.answer(head, from: context.channel.remoteAddress?.ipAddress ?? "")
                let headers = HTTPHeaders([("Content-Length", String(body.utf8.count)), ("Connection", "close")])
                context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
                context.write(Self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
                context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).whenComplete { [channel = context.channel] _ in
                    channel.close(promise: nil)
                }
            }
        }
    }
}

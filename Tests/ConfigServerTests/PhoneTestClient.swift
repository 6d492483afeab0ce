import ConfigServer
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP/1.1 client over a real socket, for the phone listener: one
/// connection per request unless `keepAlive` sends several on one.
struct PhoneTestClient {
    struct Reply {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: ByteBuffer
    }

    let port: Int
    /// The local address to connect from (another 127.x address is another source).
    var source: String? = nil

    func execute(uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:]) async throws -> Reply {
        try await exchange([(uri, method, headers)]).first!
    }

    /// Sends each request on one connection, waiting for each answer.
    func exchange(_ requests: [(String, HTTPRequest.Method, HTTPFields)]) async throws -> [Reply] {
        let collector = ReplyCollector()
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        if let source { bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: source, port: 0)) }
        let channel = try await bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        var replies: [Reply] = []
        do {
            for (uri, method, fields) in requests {
                var headers = HTTPHeaders()
                headers.add(name: "Host", value: "127.0.0.1")
                for field in fields { headers.add(name: field.name.rawName, value: field.value) }
                let promise = channel.eventLoop.makePromise(of: Reply.self)
                try await channel.eventLoop.submit { collector.pending.append(promise) }.get()
                let head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method.rawValue), uri: uri, headers: headers)
                channel.write(HTTPClientRequestPart.head(head), promise: nil)
                try await channel.writeAndFlush(HTTPClientRequestPart.end(nil)).get()
                replies.append(try await promise.futureResult.get())
            }
        } catch {
            // Closing fails whatever is still pending (channelInactive): a
            // failed exchange is an error of the test, never a leaked promise.
            try? await channel.close().get()
            throw error
        }
        try? await channel.close().get()
        return replies
    }
}

final class ReplyCollector: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    var pending: [EventLoopPromise<PhoneTestClient.Reply>] = []
    var head: HTTPResponseHead?
    var body = ByteBuffer()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = ByteBuffer()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            guard let head, !pending.isEmpty else { return }
            var fields = HTTPFields()
            for (name, value) in head.headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
            pending.removeFirst().succeed(.init(status: .init(code: Int(head.status.code)), headers: fields, body: body))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        for promise in pending { promise.fail(ChannelError.ioOnClosedChannel) }
        pending = []
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        for promise in pending { promise.fail(error) }
        pending = []
        context.close(promise: nil)
    }
}

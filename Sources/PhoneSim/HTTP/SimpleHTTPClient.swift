import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 client that connects *from* a given local address
/// (a phone's leased IP: the config server only serves a device's file to
/// the address leased to its MAC). One connection per request, `Connection: close`.
public enum SimpleHTTPClient {
    public struct Response: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: [UInt8]
    }

    public struct Timeout: Error, CustomStringConvertible {
        public var description: String { "no HTTP response in time" }
    }

    /// GET `url` from `localHost` (port 0), with `Connection: close`.
    public static func get(
        _ url: HTTPURL, from localHost: String?, userAgent: String, group: any EventLoopGroup,
        timeout: TimeAmount = .seconds(10)
    ) async throws -> Response {
        try await request(.GET, url, from: localHost, headers: [("User-Agent", userAgent)], group: group, timeout: timeout)
    }

    /// One request on a fresh connection, `Connection: close`.
    public static func request(
        _ method: HTTPMethod, _ url: HTTPURL, from localHost: String?, headers extra: [(String, String)] = [],
        body: [UInt8] = [], group: any EventLoopGroup, timeout: TimeAmount = .seconds(10)
    ) async throws -> Response {
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: Response.self)
        var bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
        if let localHost { bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: localHost, port: 0)) }
        let channel: any Channel
        do {
            channel = try await bootstrap.channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector(promise: promise))
                }
            }.connect(host: url.host, port: url.port).get()
        } catch {
            promise.fail(error)
            throw error
        }
        let timer = eventLoop.scheduleTask(in: timeout) {
            promise.fail(Timeout())
            channel.close(promise: nil)
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: url.port == 80 ? url.host : "\(url.host):\(url.port)")
        headers.add(name: "Accept", value: "*/*")
        headers.add(contentsOf: extra)
        headers.add(name: "Connection", value: "close")
        if method != .GET { headers.add(name: "Content-Length", value: String(body.count)) }
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: url.target, headers: headers)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if !body.isEmpty { channel.write(HTTPClientRequestPart.body(.byteBuffer(channel.allocator.buffer(bytes: body))), promise: nil) }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        defer {
            timer.cancel()
            channel.close(promise: nil)
        }
        return try await promise.futureResult.get()
    }
}

/// Collects one response and completes the promise (or fails it when the
/// connection closes first).
private final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    private let promise: EventLoopPromise<SimpleHTTPClient.Response>
    private var status = 0
    private var headers = HTTPHeaders()
    private var body: [UInt8] = []

    init(promise: EventLoopPromise<SimpleHTTPClient.Response>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case let .head(head):
            status = Int(head.status.code)
            headers = head.headers
        case var .body(buffer):
            if body.count < 4 << 20 { body += buffer.readBytes(length: buffer.readableBytes) ?? [] }
        case .end:
            promise.succeed(SimpleHTTPClient.Response(status: status, headers: headers, body: body))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(ChannelError.eof)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}

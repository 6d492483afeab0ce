import Metrics
import NIOCore
import NIOHTTP1

/// One phone connection: HTTP/1.1 requests in, `PhoneFileService` answers
/// out, in order, keep-alive as the client asks. Runs on the event loop;
/// the service reads memory on the hot path (see `InventoryCache`).
final class PhoneHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let service: PhoneFileService
    let sweeper: NIOLoopBound<IdleConnectionSweeper>?
    let latency: Timer?
    private var head: HTTPRequestHead?
    /// When the request's head arrived (for `latency`).
    private var started: NIODeadline = .uptimeNanoseconds(0)
    private var context: ChannelHandlerContext?
    /// When the client last sent something (see `IdleConnectionSweeper`).
    private(set) var lastActivity = NIODeadline.now()

    init(service: PhoneFileService, sweeper: NIOLoopBound<IdleConnectionSweeper>? = nil, latency: Timer? = nil) {
        self.service = service
        self.sweeper = sweeper
        self.latency = latency
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        sweeper?.value.add(self)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        sweeper?.value.remove(self)
        self.context = nil
    }

    func closeIdle() {
        context?.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastActivity = .now()
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            started = lastActivity
        case .body:
            break  // phones send no body; whatever comes is discarded
        case .end:
            guard let head else { return }
            self.head = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let request = PhoneRequest(
            method: head.method, target: head.uri, userAgent: head.headers.first(name: "user-agent"),
            authorization: head.headers.first(name: "authorization"), remote: context.remoteAddress)
        let answer = service.handle(request)
        let keepAlive = head.isKeepAlive
        var headers = HTTPHeaders()
        headers.reserveCapacity(6 + answer.headers.count)
        headers.add(name: "Content-Type", value: answer.contentType)
        let body = answer.bytes ?? context.channel.allocator.buffer(string: answer.body)
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "Cache-Control", value: "no-store")
        for (name, value) in answer.headers { headers.add(name: name, value: value) }
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let responseHead = HTTPResponseHead(version: head.version, status: answer.status, headers: headers)
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if head.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        latency?.recordNanoseconds(Int64(NIODeadline.now().uptimeNanoseconds - started.uptimeNanoseconds))
        if !keepAlive { done.whenComplete { [context] _ in context.close(promise: nil) } }
    }

    /// A request the HTTP parser rejects gets a 400 and the connection is
    /// closed (what NIO's protocol error handler would do).
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError, context.channel.isActive else {
            context.close(promise: nil)
            return
        }
        var headers = HTTPHeaders()
        headers.add(name: "Connection", value: "close")
        headers.add(name: "Content-Length", value: "0")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { [context] _ in context.close(promise: nil) }
    }
}

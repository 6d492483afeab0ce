import Metrics
import NIOCore
import NIOHTTP1

/// One phone connection: HTTP/1.1 requests in, `PhoneFileService` answers
/// out, in order, keep-alive as the client asks. Runs on the event loop;
/// the service reads memory on the hot path (see `InventoryCache`).
/// No route here takes a body: a request that announces one (Content-Length
/// above 0) is answered 413 at its head and the connection closed, without
/// reading the body; a chunked one at its first byte of body (an empty
/// chunked body, which HTTP clients send with a bare POST, is no body).
final class PhoneHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let service: PhoneFileService
    let sweeper: NIOLoopBound<IdleConnectionSweeper>?
    let latency: Timer?
    let limiter: ConnectionLimiter?
    private var head: HTTPRequestHead?
    /// When the request's head arrived (for `latency`).
    private var started: NIODeadline = .uptimeNanoseconds(0)
    private var context: ChannelHandlerContext?
    /// Since when the connection has been waiting for a whole request (its
    /// accept, or the end of the previous answer); nil while one is answered.
    /// Bytes arriving do not move it (see `IdleConnectionSweeper`).
    private(set) var waitingSince: NIODeadline? = .now()
    /// A request was refused at its head: what follows it is not read.
    private var refused = false
    /// Some request was answered: past the deadline without another one,
    /// the connection is an idle keep-alive, not a slow client.
    private var answered = false

    init(
        service: PhoneFileService, sweeper: NIOLoopBound<IdleConnectionSweeper>? = nil, latency: Timer? = nil,
        limiter: ConnectionLimiter? = nil
    ) {
        self.service = service
        self.sweeper = sweeper
        self.latency = latency
        self.limiter = limiter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        sweeper?.value.add(self)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        sweeper?.value.remove(self)
        self.context = nil
    }

    /// The request deadline passed (see `IdleConnectionSweeper`).
    func closeLate() {
        guard let context else { return }
        waitingSince = nil
        if !answered || head != nil { limiter?.count(.deadline) }
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            if Self.announcesBody(head) {
                refuseBody(version: head.version, context: context)
                return
            }
            self.head = head
            started = .now()
        case .body(let part):
            if part.readableBytes > 0 { refuseBody(version: head?.version ?? .http1_1, context: context) }
        case .end:
            guard let head else { return }
            self.head = nil
            waitingSince = nil
            respond(to: head, context: context)
            answered = true
            waitingSince = .now()
        }
    }

    /// A body is announced by a Content-Length above 0.
    static func announcesBody(_ head: HTTPRequestHead) -> Bool {
        head.headers["content-length"].contains { $0 != "0" }
    }

    /// 413, then close: the rest of the body is never read.
    private func refuseBody(version: HTTPVersion, context: ChannelHandlerContext) {
        refused = true  // waitingSince stays: the sweeper closes it if the answer cannot be written
        limiter?.count(.body)
        context.channel.setOption(.autoRead, value: false).whenFailure { _ in }
        var headers = HTTPHeaders()
        headers.add(name: "Connection", value: "close")
        headers.add(name: "Content-Length", value: "0")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .payloadTooLarge, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
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
        if !keepAlive { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
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
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}

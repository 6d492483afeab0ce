import NIOCore
import NIOHTTP1

/// Answers the HTTP requests of one API connection: authentication when
/// `phone.EnablePushXMLAuth` = 1, then `XMLServiceEngine`, the phone's reply
/// shape, and the `slow` and `malformed` faults.
final class PhoneAPIHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let maximumBody = 1 << 20

    private let state: PhoneState
    private let auth: PhoneAuth
    private let events: PhoneEventSink
    private let effect: @Sendable (XMLServiceAnswer.Effect) -> Void
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(state: PhoneState, auth: PhoneAuth, events: @escaping PhoneEventSink,
         effect: @escaping @Sendable (XMLServiceAnswer.Effect) -> Void) {
        self.state = state
        self.auth = auth
        self.events = events
        self.effect = effect
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case let .head(requestHead):
            head = requestHead
            body.removeAll(keepingCapacity: true)
        case var .body(buffer):
            if body.count + buffer.readableBytes <= Self.maximumBody {
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            }
        case .end:
            guard let requestHead = head else { return }
            head = nil
            handle(requestHead, context: context)
        }
    }

    private func handle(_ request: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        guard path.lowercased() == "/xmlservice" else {
            return respond(context, request, status: .notFound, body: "not found\n")
        }
        guard request.method == .POST else {
            return respond(context, request, status: .methodNotAllowed, body: "POST only\n")
        }
        if state.requiresAuth {
            let account = state.webAccount
            guard auth.accepts(header: request.headers.first(name: "authorization"), method: "POST",
                               user: account.user, password: account.password)
            else {
                return respond(context, request, status: .unauthorized, body: "401 Unauthorized\n",
                               extra: [("WWW-Authenticate", auth.challenge)])
            }
        }
        let call = XMLServiceCall(parsing: body)
        guard let answer = XMLServiceEngine.answer(call, state: state) else {
            // reboot-on-push: no reply at all.
            context.close(promise: nil)
            effect(.reboot)
            return
        }
        report(call, answer)
        let text = state.faults.malformed ? "ERROR: request failed, try again later\n" : state.shape.render(answer)
        let effects = answer.effects
        let respondNow = { [effect] in
            self.respond(context, request, status: .ok, body: text, extra: [("Content-Type", "text/xml")]) {
                for item in effects { effect(item) }
            }
        }
        if let delay = state.faults.slowMilliseconds, delay > 0 {
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(delay))) { respondNow() }
        } else {
            respondNow()
        }
    }

    private func report(_ call: XMLServiceCall, _ answer: XMLServiceAnswer) {
        guard case let .configuration(command, _) = call, command == "get" || command == "set" else { return }
        let ip = state.withLock { $0.leasedIP }
        events(PhoneEvent(mac: state.identity.mac.compact, kind: command == "get" ? .get : .set, ip: ip,
                          code: answer.retCode))
    }

    private func respond(
        _ context: ChannelHandlerContext, _ request: HTTPRequestHead, status: HTTPResponseStatus, body text: String,
        extra: [(String, String)] = [], then done: (@Sendable () -> Void)? = nil
    ) {
        guard context.channel.isActive else { return }
        let keepAlive = request.isKeepAlive
        var headers = HTTPHeaders(extra)
        headers.replaceOrAdd(name: "Content-Length", value: String(text.utf8.count))
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        headers.replaceOrAdd(name: "Server", value: "Fanvil \(state.identity.model)")
        let head = HTTPResponseHead(version: request.version, status: status, headers: headers)
        context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))), promise: nil)
        let written = context.writeAndFlush(Self.wrapOutboundOut(.end(nil)))
        let channel = context.channel
        written.whenComplete { _ in
            if !keepAlive { channel.close(promise: nil) }
            done?()
        }
    }
}

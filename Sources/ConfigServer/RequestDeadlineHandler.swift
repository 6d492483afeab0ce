import NIOCore
import NIOHTTPTypes

/// The admin listener's request deadline (Hummingbird resets its idle timer
/// on every byte, so a trickling client would hold a connection forever):
/// each whole request, head and body, must arrive within `deadline` of the
/// connection's accept or of the end of the previous answer, or the
/// connection is closed. One timer per connection; the admin listener has
/// few. Added after Hummingbird's HTTP codec (`additionalChannelHandlers`).
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let deadline: TimeAmount
    let limiter: ConnectionLimiter?
    private var timer: Scheduled<Void>?

    init(deadline: TimeAmount, limiter: ConnectionLimiter? = nil) {
        self.deadline = deadline
        self.limiter = limiter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data) { disarm() }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { arm(context: context) }
        context.write(data, promise: promise)
    }

    private func arm(context: ChannelHandlerContext) {
        timer?.cancel()
        let limiter = limiter
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: deadline) { [context] in
            limiter?.count(.deadline)
            context.close(promise: nil)
        }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }
}

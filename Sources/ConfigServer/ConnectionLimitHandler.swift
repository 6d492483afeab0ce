import NIOCore

/// The first handler of a connection on a listener with limits: when the
/// connection becomes active it takes a place in the `ConnectionLimiter`, or,
/// if the listener or the source address holds too many already, it is
/// closed at once, before a byte is read or a TLS handshake begun (nothing
/// after this handler hears of it). The place is given back when the
/// connection closes.
final class ConnectionLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Any

    let limiter: ConnectionLimiter
    private var state = State.pending

    enum State { case pending, admitted, refused }

    init(limiter: ConnectionLimiter) {
        self.limiter = limiter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { admit(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if state == .pending { admit(context: context) }
        if state == .admitted { context.fireChannelActive() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if state == .admitted { context.fireChannelRead(data) }
    }

    private func admit(context: ChannelHandlerContext) {
        let address = context.channel.remoteAddress?.hostKey ?? "unknown"
        if limiter.admit(address) != nil {
            state = .refused
            context.close(promise: nil)
            return
        }
        state = .admitted
        let limiter = limiter
        context.channel.closeFuture.whenComplete { _ in limiter.release(address) }
    }
}

#if canImport(Glibc)
import Glibc
#endif
import Logging
import Metrics
import NIOCore

/// On a listening socket: when accept fails because descriptors or memory
/// ran out (EMFILE, ENFILE, ENOBUFS, ENOMEM), stops reading the socket for
/// `pause`, then accepts again. NIO's `AcceptBackoffHandler` is not enough
/// here: it withholds the next read, but a read whose first accept fails
/// stays pending, the socket stays registered for readability, and the loop
/// calls accept again at once, thousands of times a second, for as long as
/// the descriptors are missing. Turning autoRead off unregisters it.
/// Pending connections wait in the backlog meanwhile. Counted in
/// `autoprov_http_accept_paused_total{listener}`; a warning at most once a minute.
final class AcceptPauseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Channel

    let pause: TimeAmount
    let logger: Logger
    let paused: Counter
    private var resume: Scheduled<Void>?
    private var lastWarning: NIODeadline?

    init(listener: String, pause: TimeAmount = .milliseconds(500), logger: Logger) {
        self.pause = pause
        self.logger = logger
        paused = Counter(label: "autoprov_http_accept_paused_total", dimensions: [("listener", listener)])
    }

    static func isExhaustion(_ error: any Error) -> Bool {
        guard let error = error as? IOError else { return false }
        return [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(error.errnoCode)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard Self.isExhaustion(error) else {
            context.fireErrorCaught(error)
            return
        }
        guard resume == nil, let options = context.channel.syncOptions else { return }
        paused.increment()
        let now = NIODeadline.now()
        if lastWarning.map({ now - $0 > .seconds(60) }) ?? true {
            lastWarning = now
            logger.warning("accepting paused: out of descriptors", metadata: ["error": "\(error)", "pause_ms": "\(pause.nanoseconds / 1_000_000)"])
        }
        try? options.setOption(.autoRead, value: false)
        resume = context.eventLoop.assumeIsolated().scheduleTask(in: pause) { [self, context] in
            resume = nil
            try? context.channel.syncOptions?.setOption(.autoRead, value: true)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        resume?.cancel()
        resume = nil
        context.fireChannelInactive()
    }
}

import NIOCore

/// Closes phone connections that have not delivered a whole request within
/// the deadline, counted from their accept or from the end of the previous
/// answer: a slow, silent or trickling client must not hold a connection
/// (and a descriptor) for longer, whatever it sends meanwhile. One sweep per
/// event loop each second (more often for deadlines under 2 s), instead of
/// a timer per connection: phones open a connection per file, so
/// per-connection work is what a fetch costs. Lives on one event loop; only
/// touched there.
final class IdleConnectionSweeper {
    let timeout: TimeAmount
    private var handlers: [ObjectIdentifier: PhoneHTTPHandler] = [:]

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func add(_ handler: PhoneHTTPHandler) { handlers[ObjectIdentifier(handler)] = handler }
    func remove(_ handler: PhoneHTTPHandler) { handlers.removeValue(forKey: ObjectIdentifier(handler)) }

    func sweep(now: NIODeadline = .now()) {
        for handler in handlers.values {
            if let since = handler.waitingSince, now - since > timeout { handler.closeLate() }
        }
    }

    /// How often to sweep for `timeout`: each second, or a quarter of a shorter timeout.
    static func interval(for timeout: TimeAmount) -> TimeAmount {
        max(.milliseconds(50), min(.seconds(1), .nanoseconds(timeout.nanoseconds / 4)))
    }

    /// Starts sweeping `loop` until `until` completes. Call on `loop`.
    static func start(on loop: any EventLoop, timeout: TimeAmount, until: EventLoopFuture<Void>) -> NIOLoopBound<IdleConnectionSweeper> {
        let sweeper = NIOLoopBound(IdleConnectionSweeper(timeout: timeout), eventLoop: loop)
        let every = interval(for: timeout)
        let task = loop.scheduleRepeatedTask(initialDelay: every, delay: every) { _ in sweeper.value.sweep() }
        until.whenComplete { _ in task.cancel() }
        return sweeper
    }
}

import NIOCore

/// Closes phone connections that have sent nothing for `timeout` (a slow
/// or silent client must not hold a connection forever). One sweep per
/// event loop each second, instead of a timer per connection: phones open
/// a connection per file, so per-connection work is what a fetch costs.
/// Lives on one event loop; only touched there.
final class IdleConnectionSweeper {
    let timeout: TimeAmount
    private var handlers: [ObjectIdentifier: PhoneHTTPHandler] = [:]

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func add(_ handler: PhoneHTTPHandler) { handlers[ObjectIdentifier(handler)] = handler }
    func remove(_ handler: PhoneHTTPHandler) { handlers.removeValue(forKey: ObjectIdentifier(handler)) }

    func sweep(now: NIODeadline = .now()) {
        for handler in handlers.values where now - handler.lastActivity > timeout {
            handler.closeIdle()
        }
    }

    /// Starts sweeping `loop` every second until `until` completes. Call on `loop`.
    static func start(on loop: any EventLoop, timeout: TimeAmount, until: EventLoopFuture<Void>) -> NIOLoopBound<IdleConnectionSweeper> {
        let sweeper = NIOLoopBound(IdleConnectionSweeper(timeout: timeout), eventLoop: loop)
        let task = loop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in sweeper.value.sweep() }
        until.whenComplete { _ in task.cancel() }
        return sweeper
    }
}

import NIOCore
import NIOPosix
import Synchronization

/// A UDP socket bound on first use, shared by whoever asks at the same time
/// (one bind), and closed once: the SIP client's and the registrar's socket.
final class LazyUDPSocket: Sendable {
    private enum State {
        case unbound
        case binding(EventLoopFuture<any Channel>)
        case bound(any Channel)
        case closed
    }

    let host: String
    let port: Int
    let group: any EventLoopGroup
    private let state = Mutex<State>(.unbound)

    init(host: String, port: Int, group: any EventLoopGroup) {
        self.host = host
        self.port = port
        self.group = group
    }

    /// The bound channel, binding it with `bootstrap` (options and handler,
    /// for the loop the socket will live on) if nobody has; throws when the
    /// bind fails (the next call tries again) or the socket was closed.
    func channel(bootstrap: (any EventLoop) -> DatagramBootstrap) async throws -> any Channel {
        enum Step { case wait(EventLoopFuture<any Channel>), start(EventLoopPromise<any Channel>), closed }
        let loop = group.next()
        let step: Step = state.withLock { state in
            switch state {
            case .unbound:
                let promise = loop.makePromise(of: (any Channel).self)
                state = .binding(promise.futureResult)
                return .start(promise)
            case let .binding(future): return .wait(future)
            case let .bound(channel): return .wait(channel.eventLoop.makeSucceededFuture(channel))
            case .closed: return .closed
            }
        }
        switch step {
        case .closed: throw ChannelError.ioOnClosedChannel
        case let .wait(future): return try await future.get()
        case let .start(promise):
            let bound = bootstrap(loop).bind(host: host, port: port)
            bound.cascade(to: promise)
            do {
                let channel = try await bound.get()
                let kept = state.withLock { state -> Bool in
                    guard case .binding = state else { return false }
                    state = .bound(channel)
                    return true
                }
                // Closed while binding: the new socket goes too.
                if !kept {
                    try? await channel.close()
                    throw ChannelError.ioOnClosedChannel
                }
                return channel
            } catch {
                state.withLock { if case .binding = $0 { $0 = .unbound } }
                throw error
            }
        }
    }

    /// Closes it for good. Idempotent.
    func close() async {
        let channel: (any Channel)? = state.withLock { state in
            defer { state = .closed }
            if case let .bound(channel) = state { return channel }
            return nil
        }
        try? await channel?.close()
    }
}

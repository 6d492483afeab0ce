import HummingbirdCore
import NIOCore

/// The admin listener's limits, given to Hummingbird as channel handlers
/// added after its HTTP codec (Hummingbird's server configuration has no
/// connection limit): `ConnectionLimitHandler` closes a connection over
/// the limits as soon as it is active, `RequestDeadlineHandler` closes one
/// whose request is not whole by the deadline. Accepting backs off when the
/// process is out of descriptors (Hummingbird binds with NIO's async
/// bootstrap, which adds `AcceptBackoffHandler`).
public enum AdminListener {
    public static func channelConfiguration(
        _ limits: ConnectionLimits, limiter: ConnectionLimiter? = nil
    ) -> HTTP1Channel.Configuration {
        let limiter = limiter ?? ConnectionLimiter(limits: limits, listener: "admin")
        let deadline = limits.deadline
        return HTTP1Channel.Configuration(additionalChannelHandlers: [
            ConnectionLimitHandler(limiter: limiter), RequestDeadlineHandler(deadline: deadline, limiter: limiter),
        ])
    }
}

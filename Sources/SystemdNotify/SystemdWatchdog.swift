#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The watchdog systemd asks for (`WatchdogSec=`), read the way
/// sd_watchdog_enabled(3) reads it: `WATCHDOG_USEC` is a positive number of
/// microseconds, and when `WATCHDOG_PID` is set it must be this process
/// (otherwise the watchdog is meant for another one).
public struct SystemdWatchdog: Sendable, Equatable {
    /// How long systemd waits for a ping before it considers us hung.
    public let timeout: Duration

    public init(timeout: Duration) {
        self.timeout = timeout
    }

    /// Half the timeout, as sd_watchdog_enabled(3) recommends.
    public var pingInterval: Duration { timeout / 2 }

    /// Nil when no watchdog is asked of this process.
    public init?(environment: [String: String], pid: Int32 = getpid()) {
        guard let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 else { return nil }
        if let owner = environment["WATCHDOG_PID"], !owner.isEmpty {
            guard let ownerPID = Int32(owner), ownerPID == pid else { return nil }
        }
        self.init(timeout: .microseconds(Int64(clamping: usec)))
    }
}

import Foundation

/// Seconds since 1970 for lease arithmetic, immune to wall-clock jumps while
/// running: the wall clock is read once at start and advanced by a
/// monotonic clock after that. A lease's stored expiry stays absolute, so a
/// restart reads the wall clock afresh.
public struct ServerClock: Sendable {
    private let wallAtStart: Double
    private let monotonicAtStart: UInt64
    private let monotonic: @Sendable () -> UInt64

    /// - Parameters:
    ///   - wall: seconds since 1970 (read once).
    ///   - monotonic: nanoseconds from a clock that never jumps.
    public init(
        wall: () -> Double = { Date().timeIntervalSince1970 },
        monotonic: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }
    ) {
        wallAtStart = wall()
        self.monotonic = monotonic
        monotonicAtStart = monotonic()
    }

    public var now: Int64 { Int64(nowPrecise) }

    public var nowPrecise: Double {
        wallAtStart + Double(monotonic() &- monotonicAtStart) / 1_000_000_000
    }
}

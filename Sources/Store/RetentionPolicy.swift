/// How much history the store keeps, so that it stays bounded under any
/// traffic: device events (fetches served and refused, action URLs, admin
/// changes) and lease events, each dropped when older than `maxAge`, and
/// beyond the newest `eventsPerDevice` rows of one MAC. Events younger
/// than `protectedAge` are never pruned by count: the provisioning worker
/// and the followers read them within seconds of their commit.
public struct RetentionPolicy: Sendable, Equatable {
    /// Seconds; 0 keeps events of any age.
    public var maxAge: Double
    /// Rows kept per MAC in each event table; 0 keeps any number.
    public var eventsPerDevice: Int
    /// How often `RetentionService` prunes.
    public var interval: Duration
    /// Seconds during which a new event is safe from the per-device count.
    public var protectedAge: Double
    /// Rows deleted per transaction: the writer is never held long.
    public var batch: Int

    public init(
        maxAge: Double = 90 * 86_400, eventsPerDevice: Int = 1_000, interval: Duration = .seconds(3_600),
        protectedAge: Double = 600, batch: Int = 5_000
    ) {
        self.maxAge = maxAge
        self.eventsPerDevice = eventsPerDevice
        self.interval = interval
        self.protectedAge = protectedAge
        self.batch = batch
    }
}

/// What one pruning pass deleted.
public struct PruneCount: Sendable, Equatable {
    public var deviceEvents = 0
    public var leaseEvents = 0
    public init(deviceEvents: Int = 0, leaseEvents: Int = 0) {
        self.deviceEvents = deviceEvents
        self.leaseEvents = leaseEvents
    }
    public var total: Int { deviceEvents + leaseEvents }
}

/// A store whose event history can be pruned to a `RetentionPolicy`.
public protocol HistoryPruning: Sendable {
    func prune(_ policy: RetentionPolicy, now: Double) throws -> PruneCount
}

import Synchronization

/// Which refused fetches are written down (a device event and a log line)
/// and which are only counted. A refusal from the device's own leased
/// address is always written: that is the phone, and its admin wants to
/// see why. From any other address, the first refusal per `window` is
/// written and the rest are only counted
/// (`autoprov_config_refusals_unrecorded_total`), so a stranger asking
/// 20,000 times for a known MAC's file costs a counter, not 20,000 rows.
/// The table of sources is bounded: when `capacity` sources are in it,
/// expired entries go first; if none has expired, a new source is only
/// counted until one does.
final class RefusalSampler: Sendable {
    let window: Double
    let capacity: Int
    private let lastWritten = Mutex<[String: Double]>([:])

    init(window: Double = 60, capacity: Int = 4_096) {
        self.window = window
        self.capacity = capacity
    }

    /// True when a refusal from `source` at `now` is to be written down.
    func admit(source: String, now: Double) -> Bool {
        lastWritten.withLock { table in
            if let last = table[source], now - last < window { return false }
            if table[source] == nil, table.count >= capacity {
                table = table.filter { now - $0.value < window }
                guard table.count < capacity else { return false }
            }
            table[source] = now
            return true
        }
    }
}

import Synchronization

/// Which refused fetches are written down (a device event and a log line)
/// and which are only counted. A refusal from the device's own leased
/// address is always written: that is the phone, and its admin wants to
/// see why. From any other address, refusals are written at most `burst`
/// at a time and `burst` per `window` after that, for each source address
/// and reason (a token bucket); the rest are only counted
/// (`autoprov_config_refusals_unrecorded_total`), so a stranger asking
/// 20,000 times for a known MAC's file costs a counter, not 20,000 rows.
/// The table is bounded: when `capacity` buckets are in it, buckets that
/// have refilled (idle for a window) go first; if none has, a new source is
/// only counted until one does.
final class RefusalSampler: Sendable {
    let window: Double
    let burst: Double
    let capacity: Int
    private struct Bucket {
        var tokens: Double
        var last: Double
    }
    private let buckets = Mutex<[String: Bucket]>([:])

    init(window: Double = 60, burst: Int = 10, capacity: Int = 4_096) {
        self.window = window
        self.burst = Double(burst)
        self.capacity = capacity
    }

    /// True when a refusal from `source` for `reason` at `now` is to be written down.
    func admit(source: String, reason: String, now: Double) -> Bool {
        let key = source + " " + reason
        let rate = burst / window
        return buckets.withLock { table in
            if table[key] == nil, table.count >= capacity {
                table = table.filter { now - $0.value.last < window }
                guard table.count < capacity else { return false }
            }
            var bucket = table[key] ?? Bucket(tokens: burst, last: now)
            bucket.tokens = min(burst, bucket.tokens + max(0, now - bucket.last) * rate)
            bucket.last = now
            let admitted = bucket.tokens >= 1
            if admitted { bucket.tokens -= 1 }
            table[key] = bucket
            return admitted
        }
    }
}

/// Token buckets per source address: `burst` datagrams at once, refilled at
/// `rate` a second. The table is bounded: at `capacity` sources, those
/// whose bucket is full again (idle) are forgotten first; when none is, the
/// newcomer is refused.
struct RateLimiter: Sendable {
    var burst: Double
    var rate: Double
    var capacity: Int
    private var buckets: [String: (tokens: Double, time: Double)] = [:]

    init(burst: Double, rate: Double, capacity: Int = 4096) {
        self.burst = burst
        self.rate = rate
        self.capacity = capacity
    }

    /// True when `source` may send one more datagram at `now` (seconds).
    mutating func allow(_ source: String, now: Double) -> Bool {
        var bucket = buckets[source] ?? (burst, now)
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.time) * rate)
        bucket.time = now
        if buckets[source] == nil && buckets.count >= capacity {
            buckets = buckets.filter { min(burst, $0.value.tokens + (now - $0.value.time) * rate) < burst }
            guard buckets.count < capacity else { return false }
        }
        guard bucket.tokens >= 1 else {
            buckets[source] = bucket
            return false
        }
        bucket.tokens -= 1
        buckets[source] = bucket
        return true
    }

    var count: Int { buckets.count }
}

/// Failed Digest attempts per source address: `maxFailures` within
/// `failureWindow` seconds start a cooldown, during which that address is
/// refused before anything is parsed or hashed. Other addresses are not
/// affected. A success does not reset the count (a valid credential must
/// not buy more guesses).
///
/// Bounded: at most `capacity` addresses; when full, those neither cooling
/// down nor in an open window go first, then the oldest window.
struct DigestThrottle: Sendable {
    struct Source: Sendable {
        var windowStart: Double
        var failures: Int
        var blockedUntil: Double?
    }

    let capacity: Int
    private(set) var sources: [String: Source] = [:]

    init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    /// Seconds left of `source`'s cooldown, nil when it may try.
    func blocked(_ source: String, now: Double) -> Double? {
        guard let until = sources[source]?.blockedUntil, until > now else { return nil }
        return until - now
    }

    /// Counts one failure; true when it starts the cooldown.
    mutating func failed(_ source: String, now: Double, settings: DigestSettings) -> Bool {
        var entry = sources[source] ?? {
            if sources.count >= capacity { evict(now: now, settings: settings) }
            return Source(windowStart: now, failures: 0)
        }()
        if let until = entry.blockedUntil, until <= now { entry = Source(windowStart: now, failures: 0) }
        if now - entry.windowStart > settings.failureWindow { entry = Source(windowStart: now, failures: 0) }
        entry.failures += 1
        let engaged = entry.blockedUntil == nil && entry.failures >= settings.maxFailures
        if engaged { entry.blockedUntil = now + settings.cooldown }
        sources[source] = entry
        return engaged
    }

    private mutating func evict(now: Double, settings: DigestSettings) {
        let before = sources.count
        sources = sources.filter {
            ($0.value.blockedUntil ?? 0) > now || now - $0.value.windowStart <= settings.failureWindow
        }
        guard sources.count == before,
              let oldest = sources.min(by: { $0.value.windowStart < $1.value.windowStart }) else { return }
        sources[oldest.key] = nil
    }
}

/// The nonce counts seen within the nonce lifetime (RFC 7616 §3.4: "the
/// server can keep track of the nc value... to detect replays"): per nonce,
/// the highest `nc` accepted. A request whose `nc` is not above it is a
/// replay. A nonce without `qop` (no `nc`) is single-use.
///
/// Bounded: at most `capacity` nonces; when full, expired ones go first,
/// then the oldest issued. Nonces are stateless (an HMAC), so a nonce absent
/// from the table (after a restart, or evicted) is accepted once more and
/// recorded: an evicted nonce could be replayed once, within its lifetime.
struct DigestNonceTable: Sendable {
    struct Entry: Sendable {
        var highest: UInt64
        var issued: Double
    }

    let capacity: Int
    private(set) var entries: [String: Entry] = [:]

    init(capacity: Int = 4096) {
        self.capacity = max(1, capacity)
    }

    /// Records `nc` for `nonce` (issued at `issued`); false when it is not
    /// above the highest count already accepted for it (a replay).
    mutating func admit(nonce: String, nc: UInt64, issued: Double, now: Double, lifetime: Double) -> Bool {
        if let entry = entries[nonce] {
            guard nc > entry.highest else { return false }
            entries[nonce]?.highest = nc
            return true
        }
        if entries.count >= capacity { evict(now: now, lifetime: lifetime) }
        entries[nonce] = Entry(highest: nc, issued: issued)
        return true
    }

    /// Drops expired nonces (they are refused as stale before a count is
    /// looked at); if none expired, the oldest issued.
    private mutating func evict(now: Double, lifetime: Double) {
        let before = entries.count
        entries = entries.filter { now - $0.value.issued <= lifetime }
        guard entries.count == before, let oldest = entries.min(by: { $0.value.issued < $1.value.issued }) else { return }
        entries[oldest.key] = nil
    }
}

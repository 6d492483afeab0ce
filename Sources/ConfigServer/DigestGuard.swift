import Synchronization

/// What every copy of a `DigestAuthenticator` shares: the nonce counts
/// (replays), the failures per source address (guessing), and how many
/// responses were computed (a refused-while-throttled request computes none).
final class DigestGuard: Sendable {
    let nonces: Mutex<DigestNonceTable>
    let throttle: Mutex<DigestThrottle>
    /// Expected responses computed (one hash chain each) since start.
    let responsesComputed = Atomic<Int>(0)

    init(nonceCapacity: Int = 4096, sourceCapacity: Int = 10_000) {
        nonces = Mutex(DigestNonceTable(capacity: nonceCapacity))
        throttle = Mutex(DigestThrottle(capacity: sourceCapacity))
    }
}

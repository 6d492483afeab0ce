import Synchronization

/// The last challenge each phone sent, so that later requests to it carry
/// `Authorization` from the start instead of costing a 401 round trip.
///
/// Keyed by scheme, host and port; a Digest nonce is reused with its nonce
/// count incremented on each use. Thread-safe. Holds no credentials: the
/// header is computed by the caller from the credentials of each request.
final class AuthCache: Sendable {
    private struct Entry {
        var challenge: AuthChallenge
        var uses: Int
    }

    /// Past this many phones the cache starts over (a fleet is far smaller).
    static let capacity = 16_384

    private let entries = Mutex<[String: Entry]>([:])

    init() {}

    /// The challenge to answer preemptively and its nonce count (1 for the
    /// first use), `nil` when the phone never challenged.
    func nextUse(for key: String) -> (challenge: AuthChallenge, nc: Int)? {
        entries.withLock { entries in
            guard var entry = entries[key] else { return nil }
            entry.uses += 1
            entries[key] = entry
            return (entry.challenge, entry.uses)
        }
    }

    /// Keeps a fresh challenge, its nonce count starting over, and returns
    /// its first use.
    func remember(_ challenge: AuthChallenge, for key: String) -> (challenge: AuthChallenge, nc: Int) {
        entries.withLock { entries in
            if entries.count >= Self.capacity, entries[key] == nil { entries.removeAll() }
            entries[key] = Entry(challenge: challenge, uses: 1)
        }
        return (challenge, 1)
    }

    /// Drops a phone's challenge (its credentials were refused).
    func forget(_ key: String) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }
}

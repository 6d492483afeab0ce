import Rendering
import Synchronization

/// Parsed User-Agents by their text: a phone sends the same one every time,
/// and matching the profile's pattern costs more than the rest of a fetch.
final class UserAgentCache: Sendable {
    private let entries = Mutex([String: UserAgent?]())
    let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    func parse(_ text: String, profile: VendorProfile) -> UserAgent? {
        if let known = entries.withLock({ $0[text] }) { return known }
        let parsed = UserAgent(text, profile: profile)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[text] = .some(parsed)
        }
        return parsed
    }
}

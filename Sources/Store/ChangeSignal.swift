import Synchronization

/// A counter that in-process followers wait on instead of polling: whoever
/// changes something calls `notify()`; a follower remembers the
/// `generation` it has caught up with and `wait`s for a newer one, or for
/// its fallback timeout (for changes this process cannot see, such as
/// another process writing the same SQLite file).
///
/// Nothing is missed: a notification between reading `generation` and
/// calling `wait` makes the wait return at once. Notifications coalesce: a
/// follower that was busy wakes once for all of them.
public final class ChangeSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// How many changes were notified so far.
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// Something changed: wakes every waiter.
    public func notify() {
        let waiters = state.withLock { s in
            s.generation &+= 1
            defer { s.waiters.removeAll() }
            return Array(s.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once `generation` is past `seen`, after `timeout`, or when the
    /// task is cancelled, whichever comes first; returns the generation then.
    @discardableResult
    public func wait(after seen: UInt64, timeout: Duration) async -> UInt64 {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.changed(after: seen) }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
        return generation
    }

    /// A follower's loop: runs `body` now, then again after each change (or
    /// after `fallback` without one), but never sooner than `settle` after
    /// the last run, so that a burst of changes (a busy DHCP server commits
    /// hundreds of times a second) costs one run per `settle`. Returns when
    /// the task is cancelled.
    public func follow(settle: Duration, fallback: Duration, _ body: () async -> Void) async {
        while !Task.isCancelled {
            let seen = generation
            await body()
            await wait(after: seen, timeout: fallback)
            try? await Task.sleep(for: settle)
        }
    }

    /// Returns once `generation` is past `seen`, or when cancelled.
    private func changed(after seen: UInt64) async {
        let id = state.withLock { s in
            defer { s.nextWaiter += 1 }
            return s.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s in
                    if s.generation != seen || Task.isCancelled { return true }
                    s.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}

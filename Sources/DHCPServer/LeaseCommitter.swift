import Logging
import Store
import Synchronization

/// Grouped commits: requests whose replies need a committed lease queue
/// here; one loop writes everything queued in one transaction, then lets
/// each reply go. An ACK is therefore never sent before its lease is durable,
/// and N ACKs cost one commit. The queue is bounded: past `limit` pending
/// entries, `submit` refuses (the caller drops and counts `overloaded`).
public final class LeaseCommitter: Sendable {
    public struct Pending: Sendable {
        var leases: [Lease]
        var events: [LeaseEvent]
        /// Called after the commit, with whether it succeeded.
        var completion: @Sendable (Bool) -> Void
    }

    private let store: any LeaseStore
    private let batchSize: Int
    private let limit: Int
    private let queue = Mutex<[Pending]>([])
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let logger: Logger

    public init(store: any LeaseStore, batchSize: Int, limit: Int = 20_000, logger: Logger) {
        self.store = store
        self.batchSize = max(1, batchSize)
        self.limit = limit
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a commit; false when the queue is full.
    public func submit(
        leases: [Lease], events: [LeaseEvent], completion: @escaping @Sendable (Bool) -> Void
    ) -> Bool {
        let accepted = queue.withLock { queue in
            guard queue.count < limit else { return false }
            queue.append(Pending(leases: leases, events: events, completion: completion))
            return true
        }
        if accepted { wake.yield() }
        return accepted
    }

    /// Commits until `finish()` is called, then drains what is left.
    public func run() async {
        for await _ in wakeups { await drain() }
        await drain()
    }

    /// Stops the loop after the current batch; queued work is still committed.
    public func finish() { wake.finish() }

    private func drain() async {
        while true {
            let batch: [Pending] = queue.withLock { queue in
                let count = min(queue.count, batchSize)
                let batch = Array(queue.prefix(count))
                queue.removeFirst(count)
                return batch
            }
            if batch.isEmpty { return }
            do {
                try await store.commit(leases: batch.flatMap(\.leases), events: batch.flatMap(\.events))
                for pending in batch { pending.completion(true) }
            } catch {
                logger.error("lease commit failed; replies withheld", metadata: [
                    "error": "\(error)", "count": "\(batch.count)",
                ])
                for pending in batch { pending.completion(false) }
            }
        }
    }
}

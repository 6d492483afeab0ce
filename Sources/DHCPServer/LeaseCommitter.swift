import Logging
import Store
import Synchronization

/// Grouped commits: requests whose replies need a committed lease queue
/// here; one loop writes everything queued in one transaction, then sends
/// every reply of the batch (one send batch per transport). An ACK is
/// therefore never sent before its lease is durable, and N ACKs cost one
/// commit. The queue is bounded: past `limit` pending entries, `submit`
/// refuses (the caller drops and counts `overloaded`).
public final class LeaseCommitter: Sendable {
    public struct Pending: Sendable {
        var leases: [Lease]
        var events: [LeaseEvent]
        var reply: OutboundDatagram?
        var transport: (any DHCPTransport)?
        /// Called after the commit, with whether it succeeded.
        var completion: (@Sendable (Bool) -> Void)?
    }

    private let store: any LeaseStore
    private let batchSize: Int
    private let limit: Int
    private let queue = Mutex<[Pending]>([])
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let logger: Logger
    /// Called with the number of replies sent and refused after each batch.
    private let onBatch: @Sendable (_ sent: Int, _ failed: Int) -> Void

    public init(
        store: any LeaseStore, batchSize: Int, limit: Int = 20_000, logger: Logger,
        onBatch: @escaping @Sendable (_ sent: Int, _ failed: Int) -> Void = { _, _ in }
    ) {
        self.store = store
        self.batchSize = max(1, batchSize)
        self.limit = limit
        self.logger = logger
        self.onBatch = onBatch
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a commit whose reply goes out through `transport` once it is
    /// durable; false when the queue is full.
    public func submit(
        leases: [Lease], events: [LeaseEvent], reply: OutboundDatagram? = nil, via transport: (any DHCPTransport)? = nil,
        completion: (@Sendable (Bool) -> Void)? = nil
    ) -> Bool {
        let pending = Pending(leases: leases, events: events, reply: reply, transport: transport, completion: completion)
        let accepted = queue.withLock { queue in
            guard queue.count < limit else { return false }
            queue.append(pending)
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
            var committed = true
            do {
                try await store.commit(leases: batch.flatMap(\.leases), events: batch.flatMap(\.events))
            } catch {
                committed = false
                logger.error("lease commit failed; replies withheld", metadata: [
                    "error": "\(error)", "count": "\(batch.count)",
                ])
            }
            if committed { deliver(batch) }
            for pending in batch { pending.completion?(committed) }
            let replies = batch.reduce(0) { $0 + ($1.reply == nil ? 0 : 1) }
            onBatch(committed ? replies : 0, committed ? 0 : replies)
        }
    }

    /// One send batch per transport.
    private func deliver(_ batch: [Pending]) {
        var byInterface: [String: (transport: any DHCPTransport, datagrams: [OutboundDatagram])] = [:]
        for pending in batch {
            guard let reply = pending.reply, let transport = pending.transport else { continue }
            byInterface[transport.binding.name, default: (transport, [])].datagrams.append(reply)
        }
        for (_, entry) in byInterface { entry.transport.send(entry.datagrams) }
    }
}

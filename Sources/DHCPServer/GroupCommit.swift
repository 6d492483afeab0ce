import Logging
import Store

/// A lease change whose reply may leave only once the change is committed.
public struct PendingCommit: Sendable {
    public var leases: [Lease]
    public var events: [LeaseEvent]
    public var reply: OutboundDatagram?
    /// How to undo the engine's table changes if this is never committed.
    public var undo: [LeaseUndo]

    public init(leases: [Lease], events: [LeaseEvent], reply: OutboundDatagram?, undo: [LeaseUndo] = []) {
        self.leases = leases
        self.events = events
        self.reply = reply
        self.undo = undo
    }
}

/// Grouped commits: lease changes are committed in as few transactions as
/// `batchSize` allows, and only the replies of committed transactions are
/// returned to be sent: an ACK never leaves before its lease is durable,
/// and N ACKs share one commit. `CommitPipeline` runs it on its own thread.
public struct GroupCommit: Sendable {
    let store: any LeaseStore
    let batchSize: Int
    let logger: Logger

    public init(store: any LeaseStore, batchSize: Int, logger: Logger) {
        self.store = store
        self.batchSize = max(1, batchSize)
        self.logger = logger
    }

    /// Commits `pending` in batches and hands each committed batch's
    /// replies to `deliver` as soon as that batch is durable (so a relay sees
    /// at most `batchSize` replies at once). Returns how many replies were
    /// delivered and how many withheld because their commit failed.
    @discardableResult
    public func commit(
        _ pending: [PendingCommit], deliver: ([OutboundDatagram]) -> Void
    ) -> (sent: Int, withheld: [PendingCommit]) {
        var sent = 0
        var withheld: [PendingCommit] = []
        var start = 0
        while start < pending.count {
            let batch = pending[start..<min(start + batchSize, pending.count)]
            start += batch.count
            do {
                try store.commitBlocking(leases: batch.flatMap(\.leases), events: batch.flatMap(\.events))
                let replies = batch.compactMap(\.reply)
                deliver(replies)
                sent += replies.count
            } catch {
                let count = batch.count { $0.reply != nil }
                withheld += batch
                logger.error("lease commit failed; replies withheld", metadata: [
                    "error": "\(error)", "replies": "\(count)",
                ])
            }
        }
        return (sent, withheld)
    }
}

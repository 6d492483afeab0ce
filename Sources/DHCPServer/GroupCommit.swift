import Logging
import Store

/// A lease change whose reply may leave only once the change is committed.
public struct PendingCommit: Sendable {
    public var leases: [Lease]
    public var events: [LeaseEvent]
    public var reply: OutboundDatagram?

    public init(leases: [Lease], events: [LeaseEvent], reply: OutboundDatagram?) {
        self.leases = leases
        self.events = events
        self.reply = reply
    }
}

/// Grouped commits. The DHCP event loop collects the lease changes of one
/// receive burst (every datagram the kernel had queued) and commits them
/// here in as few transactions as `batchSize` allows, on its own thread,
/// without a hop to another thread and back. Only the replies of committed
/// transactions are returned to be sent: an ACK never leaves before its
/// lease is durable, and N ACKs share one commit.
///
/// Nothing queues in user space: while a commit runs the kernel's socket
/// buffer holds new requests, and what overflows it is dropped and counted
/// by the kernel (reported in the stats line).
public struct GroupCommit: Sendable {
    let store: any LeaseStore
    let batchSize: Int
    let logger: Logger

    public init(store: any LeaseStore, batchSize: Int, logger: Logger) {
        self.store = store
        self.batchSize = max(1, batchSize)
        self.logger = logger
    }

    /// Commits `pending` in batches; returns the replies that may be sent
    /// and how many were withheld because their commit failed.
    public func commit(_ pending: [PendingCommit]) -> (replies: [OutboundDatagram], withheld: Int) {
        var replies: [OutboundDatagram] = []
        replies.reserveCapacity(pending.count)
        var withheld = 0
        var start = 0
        while start < pending.count {
            let batch = pending[start..<min(start + batchSize, pending.count)]
            start += batch.count
            do {
                try store.commitBlocking(leases: batch.flatMap(\.leases), events: batch.flatMap(\.events))
                replies.append(contentsOf: batch.compactMap(\.reply))
            } catch {
                let count = batch.reduce(0) { $0 + ($1.reply == nil ? 0 : 1) }
                withheld += count
                logger.error("lease commit failed; replies withheld", metadata: [
                    "error": "\(error)", "replies": "\(count)",
                ])
            }
        }
        return (replies, withheld)
    }
}

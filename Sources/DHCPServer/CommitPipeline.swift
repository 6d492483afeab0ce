import Dispatch
import NIOPosix
import Synchronization

/// Moves group commits off the DHCP event loop so that reading and
/// answering go on while a commit waits for the disk.
///
/// At the end of each receive burst the event loop hands over the burst's
/// lease changes (one lock, no thread hop per packet). One commit thread
/// (a NIOThreadPool of one) takes everything handed over since its last
/// commit, commits it through `GroupCommit`, and gives the replies back to
/// their transport in one batch. The busier the server, the bigger each
/// commit: the fsync cost is shared. The hand-over queue is bounded by age,
/// not only by size: once the oldest change has waited `maxWait` (the
/// commit thread is stalled or the box is overloaded), new bursts are
/// refused (counted as `overloaded`) rather than answered too late; `limit`
/// caps the memory in any case.
final class CommitPipeline: Sendable {
    private struct Submission {
        var pending: [PendingCommit]
        var transport: any DHCPTransport
    }

    private struct State {
        var queue: [Submission] = []
        var queued = 0
        /// When the oldest change now waiting was handed over (monotonic ns).
        var oldest: UInt64 = 0
        var draining = false
        /// Callers of `shutdown()` waiting for the queue to be committed.
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let pool: NIOThreadPool
    private let groupCommit: GroupCommit
    private let limit: Int
    private let maxWait: UInt64
    private let onCommitted: @Sendable (_ sent: Int, _ withheld: [PendingCommit]) -> Void

    init(
        groupCommit: GroupCommit, limit: Int = 65_536, maxWait: Duration = .milliseconds(250),
        onCommitted: @escaping @Sendable (_ sent: Int, _ withheld: [PendingCommit]) -> Void
    ) {
        self.groupCommit = groupCommit
        self.limit = limit
        let (seconds, attoseconds) = maxWait.components
        self.maxWait = UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
        self.onCommitted = onCommitted
        pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
    }

    /// Hands over one burst's changes; false (nothing queued) when the queue is full.
    func submit(_ pending: [PendingCommit], via transport: any DHCPTransport) -> Bool {
        let now = DispatchTime.now().uptimeNanoseconds
        let (accepted, startDrain): (Bool, Bool) = state.withLock { state in
            guard state.queued + pending.count <= limit,
                  state.queue.isEmpty || now &- state.oldest < maxWait else { return (false, false) }
            if state.queue.isEmpty { state.oldest = now }
            state.queue.append(Submission(pending: pending, transport: transport))
            state.queued += pending.count
            let start = !state.draining
            state.draining = true
            return (true, start)
        }
        if startDrain { pool.submit { [self] _ in drain() } }
        return accepted
    }

    /// Runs on the commit thread until the queue is empty.
    private func drain() {
        while true {
            let (submissions, waiters): ([Submission], [CheckedContinuation<Void, Never>]) = state.withLock { state in
                let taken = state.queue
                state.queue.removeAll(keepingCapacity: true)
                state.queued = 0
                guard taken.isEmpty else { return (taken, []) }
                state.draining = false
                defer { state.idleWaiters.removeAll() }
                return ([], state.idleWaiters)
            }
            if submissions.isEmpty {
                for waiter in waiters { waiter.resume() }
                return
            }
            var byInterface: [String: (transport: any DHCPTransport, pending: [PendingCommit])] = [:]
            for submission in submissions {
                byInterface[submission.transport.binding.name, default: (submission.transport, [])]
                    .pending.append(contentsOf: submission.pending)
            }
            for (_, entry) in byInterface {
                let (sent, withheld) = groupCommit.commit(entry.pending) { entry.transport.send($0) }
                onCommitted(sent, withheld)
            }
        }
    }

    /// Waits until everything handed over is committed and answered, then
    /// stops the commit thread.
    func shutdown() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state in
                if !state.draining && state.queue.isEmpty { return true }
                state.idleWaiters.append(waiter)
                return false
            }
            if idle { waiter.resume() }
        }
        try? await pool.shutdownGracefully()
    }
}

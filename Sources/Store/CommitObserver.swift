import GRDB

/// Notifies a `ChangeSignal` after each committed transaction that changed
/// at least one row (inserted, updated or deleted, triggers included) on
/// the connection it observes. Transactions that only read, or wrote
/// nothing, stay silent, so a follower that wakes, finds nothing and writes
/// nothing does not wake itself again.
///
/// GRDB calls it on the writer's queue, one transaction at a time, which is
/// what makes `changed` safe without a lock.
final class CommitObserver: TransactionObserver, @unchecked Sendable {
    private let signal: ChangeSignal
    private var changed = false

    init(signal: ChangeSignal) {
        self.signal = signal
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }

    func databaseDidChange(with event: DatabaseEvent) {
        changed = true
        // One row is enough to know; no callback for the rest of the transaction.
        stopObservingDatabaseChangesUntilNextTransaction()
    }

    func databaseDidCommit(_ db: Database) {
        guard changed else { return }
        changed = false
        signal.notify()
    }

    func databaseDidRollback(_ db: Database) {
        changed = false
    }
}

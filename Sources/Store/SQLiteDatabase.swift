import Foundation
import GRDB

/// One SQLite file shared by the lease and inventory stores: a GRDB
/// `DatabasePool` in WAL mode, its migrations, the WAL checkpointer, and
/// `changes`, which followers in this process wait on instead of polling.
///
/// Permissions: see `StoreFileMode` (created 0600, refused when others may
/// read or write it).
///
/// Durability: `synchronous = FULL` (default) fsyncs each commit, so a commit
/// survives power loss; `NORMAL` survives a crash of the process only.
public final class SQLiteDatabase: Sendable {
    public let pool: DatabasePool
    /// A second connection that checkpoints the WAL, so that the writer
    /// never pauses a commit to do it (SQLite's automatic checkpoint runs
    /// inside the commit that crosses 1,000 pages).
    private let checkpointer: DatabaseQueue
    /// Notified after every commit through `pool` that changed a row.
    /// Another process writing the same file does not notify it: followers
    /// still look at the store now and then (their fallback interval).
    public let changes = ChangeSignal()

    public init(path: String, synchronous: SQLiteLeaseStore.Synchronous = .full) throws {
        let mode = try StoreFileMode.prepare(path: path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: configuration)
        // GRDB sets NORMAL when it enables WAL; the writer connection is the
        // only one that commits, so setting it there is enough.
        let pragma = synchronous == .full ? "FULL" : "NORMAL"
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = \(pragma)")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        }
        try StoreSchema.migrator.migrate(pool)
        pool.add(transactionObserver: CommitObserver(signal: changes), extent: .databaseLifetime)
        checkpointer = try DatabaseQueue(path: path, configuration: configuration)
        StoreFileMode.narrowSideFiles(of: path, to: mode)
    }

    /// Copies committed WAL pages into the database without blocking the
    /// writer (PASSIVE), so the WAL stays small.
    public func checkpoint() throws {
        try checkpointer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
    }
}

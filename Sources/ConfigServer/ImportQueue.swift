import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import Store
import Synchronization

/// CSV imports off the request path: `submit` answers at once with an id;
/// this service (one of the process's `ServiceGroup`) runs the imports one
/// after the other on NIO's blocking thread pool, so that a long import
/// neither holds a request nor a thread of the cooperative pool the
/// listeners answer on. One import at a time: while one is queued or
/// running, another is refused (`Busy`, a 409). Each import keeps the
/// all-or-nothing rule of `DeviceImport`: the whole file is validated, then
/// written in one transaction. The last `kept` statuses are remembered (in
/// memory: an import is a request, not a record).
public final class ImportQueue: Service, Sendable {
    struct Job: Sendable {
        var id: String
        var csv: String
    }

    struct Registry {
        var next = 1
        var statuses: [String: ImportStatus] = [:]
        var order: [String] = []
        /// The import queued or running, if any.
        var active: String?
    }

    public struct Busy: Error {
        public var active: String
    }

    let inventory: any InventoryStore
    let now: @Sendable () -> Double
    let logger: Logger
    let kept: Int
    private let registry = Mutex(Registry())
    private let jobs: AsyncStream<Job>
    private let submitted: AsyncStream<Job>.Continuation

    public init(inventory: any InventoryStore, kept: Int = 16, logger: Logger = Logger(label: "autoprov.import"),
                now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.inventory = inventory
        self.kept = kept
        self.logger = logger
        self.now = now
        (jobs, submitted) = AsyncStream.makeStream(of: Job.self)
    }

    /// Queues an import of `csv`; its first status.
    public func submit(csv: String) throws(Busy) -> ImportStatus {
        let status = try begin()
        submitted.yield(Job(id: status.id, csv: csv))
        return status
    }

    public func status(_ id: String) -> ImportStatus? {
        registry.withLock { $0.statuses[id] }
    }

    /// Runs `csv` now, on the blocking pool, waiting for its end (the
    /// synchronous `POST /api/v1/devices/import`); still one at a time.
    public func runNow(csv: String) async throws -> ImportStatus {
        let status = try begin()
        do {
            return try await execute(Job(id: status.id, csv: csv))
        } catch {
            finish(status.id, error: CSVImportError(line: 1, column: 1, columnName: nil, message: "not run: \(error)"))
            throw error
        }
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            for await job in jobs {
                do {
                    _ = try await execute(job)
                } catch {
                    finish(job.id, error: CSVImportError(line: 1, column: 1, columnName: nil, message: "not run: \(error)"))
                }
            }
        } onGracefulShutdown: {
            self.submitted.finish()
        }
    }

    private func begin() throws(Busy) -> ImportStatus {
        let time = now()
        return try registry.withLock { r throws(Busy) -> ImportStatus in
            if let active = r.active { throw Busy(active: active) }
            let status = ImportStatus(
                id: String(r.next), state: .queued, rows_done: 0, rows_total: 0, imported: nil, errors: [], created: time,
                finished: nil)
            r.next += 1
            r.active = status.id
            r.statuses[status.id] = status
            r.order.append(status.id)
            while r.order.count > kept {
                r.statuses[r.order.removeFirst()] = nil
            }
            return status
        }
    }

    private func execute(_ job: Job) async throws -> ImportStatus {
        let inventory = inventory
        let time = now()
        let id = job.id
        let outcome = try await NIOThreadPool.singleton.runIfActive { [self] () -> Result<Int, CSVImportError> in
            Result { () throws(CSVImportError) -> Int in
                try DeviceImport.run(csv: job.csv, into: inventory, now: time) { phase, done, total in
                    self.update(id) {
                        $0.state = phase
                        $0.rows_done = done
                        $0.rows_total = total
                    }
                }
            }
        }
        switch outcome {
        case .success(let count):
            logger.info("import done", metadata: ["import": "\(id)", "devices": "\(count)"])
            return finish(id, imported: count)
        case .failure(let error):
            logger.info("import refused", metadata: ["import": "\(id)", "error": "\(error.description)"])
            return finish(id, error: error)
        }
    }

    private func update(_ id: String, _ change: (inout ImportStatus) -> Void) {
        registry.withLock { r in
            if var status = r.statuses[id] {
                change(&status)
                r.statuses[id] = status
            }
        }
    }

    @discardableResult
    private func finish(_ id: String, imported: Int? = nil, error: CSVImportError? = nil) -> ImportStatus {
        let time = now()
        return registry.withLock { r in
            var status = r.statuses[id] ?? ImportStatus(
                id: id, state: .queued, rows_done: 0, rows_total: 0, imported: nil, errors: [], created: time, finished: nil)
            if let imported {
                status.state = .done
                status.imported = imported
                status.rows_done = imported
                status.rows_total = imported
            }
            if let error {
                status.state = .failed
                status.errors = [ImportStatus.Problem(error)]
            }
            status.finished = time
            r.statuses[id] = status
            if r.active == id { r.active = nil }
            return status
        }
    }
}

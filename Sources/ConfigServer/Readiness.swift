import Synchronization

/// What `serve` waits for before it is ready (`GET /readyz`): the store
/// opened and every listener bound. Each part is named when the readiness is
/// made; services mark theirs once they are up.
public final class Readiness: Sendable {
    private let parts: [String]
    private let done: Mutex<Set<String>>

    public init(waitingFor parts: [String]) {
        self.parts = parts
        done = Mutex([])
    }

    /// Marks `part` ready (idempotent; names not waited for are ignored).
    public func mark(_ part: String) {
        guard parts.contains(part) else { return }
        _ = done.withLock { $0.insert(part) }
    }

    /// The parts not ready yet, in the order they were named.
    public var missing: [String] {
        let done = done.withLock { $0 }
        return parts.filter { !done.contains($0) }
    }

    public var isReady: Bool { missing.isEmpty && !isStopping }

    private let stoppingFlag = Atomic<Bool>(false)

    /// Graceful shutdown has started: not ready any more, whatever is bound
    /// (a load balancer or a probe stops sending new work).
    public func stopping() { stoppingFlag.store(true, ordering: .releasing) }

    public var isStopping: Bool { stoppingFlag.load(ordering: .acquiring) }
}

import Synchronization

/// Whether `serve` is ready: the parts it waits for (the store, then each
/// listener, named once by whoever builds the list) and which of them are
/// up. Services mark theirs once their sockets are bound; bound stays bound,
/// nothing is unmarked. `GET /readyz` reads it; systemd's READY=1 waits for
/// it (`waitUntilUp`). Graceful shutdown turns it not ready again
/// (`stopping()`), whatever is bound.
public final class Readiness: Sendable {
    /// The parts waited for, in the order they were named.
    public let expected: [Listener]
    private let state: Mutex<State>
    private let stoppingFlag = Atomic<Bool>(false)

    private struct State {
        var marked: Set<Listener> = []
        var waiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
        var nextWaiter: UInt64 = 0

        func isUp(_ expected: [Listener]) -> Bool { expected.allSatisfy(marked.contains) }
    }

    public init(waitingFor parts: [Listener]) {
        var seen: Set<Listener> = []
        expected = parts.filter { seen.insert($0).inserted }
        state = Mutex(State())
    }

    /// Marks `part` up (idempotent; parts not waited for are ignored) and
    /// resumes the waiters once every part is.
    public func mark(_ part: Listener) {
        guard expected.contains(part) else { return }
        let resumed: [CheckedContinuation<Void, any Error>] = state.withLock { state in
            state.marked.insert(part)
            guard state.isUp(expected) else { return [] }
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in resumed { waiter.resume() }
    }

    /// The parts not up yet, in the order they were named.
    public var missing: [Listener] {
        let marked = state.withLock { $0.marked }
        return expected.filter { !marked.contains($0) }
    }

    /// Every part is up (stopping or not).
    public var isUp: Bool { state.withLock { $0.isUp(expected) } }

    /// Up and not stopping: what `GET /readyz` answers 200 to.
    public var isReady: Bool { isUp && !isStopping }

    /// Graceful shutdown has started: not ready any more, whatever is bound
    /// (a load balancer or a probe stops sending new work).
    public func stopping() { stoppingFlag.store(true, ordering: .releasing) }

    public var isStopping: Bool { stoppingFlag.load(ordering: .acquiring) }

    /// Returns once every part is up; throws `CancellationError` if the
    /// task is cancelled first.
    public func waitUntilUp() async throws {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Result<Void, any Error>? = state.withLock { state in
                    if state.isUp(expected) { return .success(()) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let resumeNow { continuation.resume(with: resumeNow) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// The parts waited for, as systemd's STATUS= and the log show them.
    public var summary: String { expected.map(\.rawValue).joined(separator: ", ") }
}

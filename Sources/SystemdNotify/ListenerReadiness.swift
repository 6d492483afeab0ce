import NIOConcurrencyHelpers

/// "Every listener is bound": the names of the listeners `serve` starts,
/// each marked by its service once its sockets are bound. Waiters (the
/// READY=1 notification) resume when the last one is marked. Bound stays
/// bound: nothing is unmarked.
public final class ListenerReadiness: Sendable {
    public let expected: Set<String>
    private let state: NIOLockedValueBox<State>

    private struct State {
        var marked: Set<String> = []
        var waiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
        var nextWaiter: UInt64 = 0
    }

    public init(expecting names: some Sequence<String>) {
        expected = Set(names)
        state = NIOLockedValueBox(State())
    }

    public var isReady: Bool { missing.isEmpty }

    /// The expected listeners not bound yet.
    public var missing: Set<String> {
        state.withLockedValue { expected.subtracting($0.marked) }
    }

    /// Records that `name` is bound; resumes the waiters once all are.
    public func mark(_ name: String) {
        let resumed: [CheckedContinuation<Void, any Error>] = state.withLockedValue { state in
            state.marked.insert(name)
            guard expected.isSubset(of: state.marked) else { return [] }
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in resumed { waiter.resume() }
    }

    /// Returns once every expected listener is bound; throws
    /// `CancellationError` if the task is cancelled first.
    public func waitUntilReady() async throws {
        let id = state.withLockedValue { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Result<Void, any Error>? = state.withLockedValue { state in
                    if expected.isSubset(of: state.marked) { return .success(()) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let resumeNow { continuation.resume(with: resumeNow) }
            }
        } onCancel: {
            let waiter = state.withLockedValue { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }
}

/// Runs an operation against a deadline (AsyncHTTPClient's own deadline
/// stops at the response head; this one also covers reading the body).
enum Deadline {
    /// The operation's result, or `DeadlineReached` once `deadline` passes
    /// (the operation is then cancelled).
    static func run<Result: Sendable>(
        until deadline: ContinuousClock.Instant, _ operation: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Result.self) { group in
            group.addTask(operation: operation)
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                throw DeadlineReached()
            }
            defer { group.cancelAll() }
            guard let result = try await group.next() else { throw DeadlineReached() }
            return result
        }
    }
}

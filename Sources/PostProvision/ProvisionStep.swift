import Store

/// What one step of an attempt decided.
enum ProvisionStep: Sendable, Equatable {
    /// Move to `state` (an event is recorded); `status` is the registerCode
    /// or HTTP status that decided it, when there is one.
    case advance(ProvisionJob.State, reason: String?, status: Int?)
    /// Try again later from the same state, after a backoff, until the
    /// deadline; `reason` says what is awaited.
    case retry(String)
    /// Give up now.
    case fail(String, status: Int?)
}

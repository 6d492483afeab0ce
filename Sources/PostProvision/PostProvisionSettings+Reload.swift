import Reloading

extension PostProvisionSettings {
    /// What only a restart can change: whether the worker runs, and what
    /// the shared phone API client was built with (request timeout, TLS
    /// verification). Deadlines, codes, retries, concurrency, the API port
    /// and scheme and the default account change live.
    public func restartNeeded(toApply new: PostProvisionSettings) -> [String] {
        var keys: [String] = []
        if enabled != new.enabled { keys.append("post_provision.enabled") }
        if requestTimeout != new.requestTimeout { keys.append("post_provision.request_timeout") }
        if verifyTLS != new.verifyTLS { keys.append("post_provision.verify_tls") }
        return keys
    }
}

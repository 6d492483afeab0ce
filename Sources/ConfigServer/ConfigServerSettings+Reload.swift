import Reloading

extension ConfigServerSettings {
    /// What only a restart can change: whether it runs, where it listens
    /// (HTTP and HTTPS, certificate and key included) and the Digest realm
    /// (phones hold nonces for it), and the connection limits (the listeners
    /// hold them). Authorisation, the path prefix, the unknown-device policy
    /// and `digest` (nonce lifetime, throttling) change live.
    public func restartNeeded(toApply new: ConfigServerSettings) -> [String] {
        var keys: [String] = []
        if enabled != new.enabled { keys.append("config_server.enabled") }
        if listen != new.listen { keys.append("config_server.listen") }
        if https?.listen != new.https?.listen || https?.certificate != new.https?.certificate
            || https?.key != new.https?.key {
            keys.append("config_server.https")
        }
        if digestRealm != new.digestRealm { keys.append("config_server.digest_realm") }
        if limits != new.limits { keys.append("config_server.limits") }
        return keys
    }
}

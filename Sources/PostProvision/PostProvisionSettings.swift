/// How autoprov drives phones after they fetched their config (the
/// `post_provision` section of the config file). Durations in seconds.
public struct PostProvisionSettings: Sendable, Equatable {
    public enum Scheme: String, Sendable, Equatable, CaseIterable {
        case http, https
    }

    /// Off: no jobs are created or run.
    public var enabled = true
    /// How the phone's `/xmlService` is reached at its leased address.
    public var scheme: Scheme = .http
    public var port = 80
    /// Phones have self-signed certificates: off by default.
    public var verifyTLS = false
    /// One request to a phone (connect + answer).
    public var requestTimeout = 5.0
    /// Jobs in flight at once.
    public var concurrency = 32
    /// From the trigger until the job fails with `timeout`.
    public var deadline = 300.0
    /// After a lease, wait this long for the phone's config fetch before
    /// trying its API anyway (a phone configured earlier may not fetch).
    public var leaseGrace = 30.0
    /// After a config fetch, before the first attempt (the phone applies it).
    public var fetchSettle = 1.0
    /// First and largest wait between attempts (doubling in between).
    public var retryInitial = 0.5
    public var retryMax = 10.0
    /// registerCode values that count as registered.
    public var successCodes: Set<Int> = [200]
    /// registerCode values that fail the job at once (the registrar said no);
    /// any other value is polled until the deadline.
    public var failureCodes: Set<Int> = [401, 403, 404, 407, 488, 603]
    /// The account used when the device has no admin account of its own
    /// (Fanvil's factory default).
    public var defaultAdminUser = "admin"
    public var defaultAdminPassword = "admin"
    /// Groups whose phones may be answered with HTTP Basic over plain http
    /// (the admin password in clear on the wire). Empty by default: a Basic
    /// challenge over http then fails the job and nothing is sent.
    public var basicOverHTTPGroups: Set<String> = []
    /// The config server serves files only with Digest
    /// (`config_server.authorization` `digest` or `leased_ip_and_digest`):
    /// a job talks to a phone only after that phone fetched its own file
    /// with Digest from the job's address during its current lease (see
    /// `DigestFetchGate`). Set from the config server's policy, not a key
    /// of `post_provision`.
    public var requireDigestFetch = false
    /// `config_server.per_device_secret`: every push carries the device's
    /// own provisioning secret (made at the first push), which comes into
    /// force when the job is verified; a device whose secret is in force is
    /// talked to only after a Digest fetch under it (`DigestFetchGate`),
    /// whatever `requireDigestFetch` says. Set from the config server's
    /// settings, not a key of `post_provision`.
    public var perDeviceSecret = false

    public init() {}
}

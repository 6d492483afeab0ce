import DHCPv4

/// The durable post-provisioning job of one device: where the phone is on the
/// way from "has an address" to "seen registered", and what to do next.
///
/// One row per device. A trigger (lease, config fetch, action URL, `push`)
/// resets it and bumps `generation`; an attempt writes its outcome only if
/// the generation it started from is still current, so a newer trigger always
/// wins over an attempt that was running when it came.
public struct ProvisionJob: Sendable, Equatable {
    public enum State: String, Sendable, Codable, CaseIterable {
        /// The phone has an address; its config fetch is awaited.
        case leased
        /// The phone fetched its per-device file.
        case configFetched = "config-fetched"
        /// `info.dev.Mac` at the leased address matched the device.
        case reachable
        /// The push items were SET (RetCode 0).
        case pushed
        /// Every configured line's registerCode was in the success set.
        case verified
        /// Given up, with `reason`.
        case failed

        /// No attempt follows until the next trigger.
        public var isFinal: Bool { self == .verified || self == .failed }
    }

    public var mac: MACAddress
    public var state: State
    /// Why it failed, or what the last attempt is waiting for.
    public var reason: String?
    /// The phone's address (from the lease or the fetch that triggered it).
    public var ip: String?
    /// What started this run: `leased`, `config-fetch`, `phone-boot`, `push-requested`...
    public var trigger: String
    public var generation: Int64
    /// Attempts since the trigger (drives the backoff).
    public var attempts: Int
    public var created: Double
    public var updated: Double
    /// When the next attempt is due; nil once final.
    public var due: Double?
    /// When the job fails with `timeout` if it is not verified by then.
    public var deadline: Double
    /// When the device's newest lease (a `leased` event, not a renewal)
    /// began, as the triggers told it; nil when none was seen. Proof of
    /// identity older than this does not count for the phone now at `ip`.
    public var leaseStarted: Double?

    public init(
        mac: MACAddress, state: State, reason: String? = nil, ip: String? = nil, trigger: String,
        generation: Int64 = 1, attempts: Int = 0, created: Double, updated: Double, due: Double?, deadline: Double,
        leaseStarted: Double? = nil
    ) {
        self.mac = mac
        self.state = state
        self.reason = reason
        self.ip = ip
        self.trigger = trigger
        self.generation = generation
        self.attempts = attempts
        self.created = created
        self.updated = updated
        self.due = due
        self.deadline = deadline
        self.leaseStarted = leaseStarted
    }
}

/// An event that may start (or restart) a device's job.
public enum ProvisionTriggerEvent: Sendable, Equatable {
    case lease(LeaseEvent)
    case device(DeviceEvent)

    public var mac: MACAddress {
        switch self {
        case .lease(let e): e.mac
        case .device(let e): e.mac
        }
    }
}

/// How a trigger resets a job (decided by the worker's policy).
public struct ProvisionJobReset: Sendable, Equatable {
    public var state: ProvisionJob.State
    public var trigger: String
    public var ip: String?
    public var due: Double
    public var deadline: Double
    /// Only bring the next attempt forward to `due`: the job keeps its
    /// state, generation, attempts and deadline (a phone's news about a job
    /// already in progress must not extend it).
    public var nudgeOnly: Bool
    /// A new lease began then (`ProvisionJob.leaseStarted`); nil keeps the
    /// job's.
    public var leaseStarted: Double?

    public init(
        state: ProvisionJob.State, trigger: String, ip: String?, due: Double, deadline: Double, nudgeOnly: Bool = false,
        leaseStarted: Double? = nil
    ) {
        self.state = state
        self.trigger = trigger
        self.ip = ip
        self.due = due
        self.deadline = deadline
        self.nudgeOnly = nudgeOnly
        self.leaseStarted = leaseStarted
    }
}

/// The outcome of one attempt, written only if the job's generation is unchanged.
public struct ProvisionJobUpdate: Sendable, Equatable {
    public var state: ProvisionJob.State
    public var reason: String?
    public var due: Double?
    public var attempts: Int
    /// Recorded with the update (a `provision-<state>` device event) when the state changes.
    public var event: DeviceEvent?

    public init(state: ProvisionJob.State, reason: String?, due: Double?, attempts: Int, event: DeviceEvent?) {
        self.state = state
        self.reason = reason
        self.due = due
        self.attempts = attempts
        self.event = event
    }
}

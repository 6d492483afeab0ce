import DHCPv4

/// Durable post-provisioning jobs, and the cursor over the events that trigger them.
public protocol ProvisionJobStore: Sendable {
    /// Reads trigger events written since the last call (lease events and
    /// device events, in order, only for devices in the inventory), asks
    /// `plan` what each does to its device's job, applies the resets and
    /// moves the cursors, all in one transaction, so an event is acted on
    /// exactly once even across a crash. A window with no inventory
    /// device's event may move the cursors in memory only, for a while
    /// (after a crash it is read again; nothing in it was acted on).
    /// Returns how many events were read (0: the cursors are at the end).
    func ingestTriggers(
        limit: Int, now: Double, _ plan: @Sendable (ProvisionTriggerEvent, ProvisionJob?) -> ProvisionJobReset?
    ) throws -> Int

    /// Jobs whose next attempt is due at `now`, earliest first.
    func dueJobs(now: Double, limit: Int) throws -> [ProvisionJob]
    /// The earliest due time of any job, nil when none is pending.
    func nextDue() throws -> Double?

    /// Writes an attempt's outcome if `job.generation` is still current;
    /// false when a newer trigger reset the job meanwhile (nothing written).
    @discardableResult
    func update(_ job: ProvisionJob, _ update: ProvisionJobUpdate, now: Double) throws -> Bool

    func job(_ mac: MACAddress) throws -> ProvisionJob?
    /// Every job, ordered by MAC.
    func jobs() throws -> [ProvisionJob]
    /// How many jobs are in each state (states with none left out).
    func jobCounts() throws -> [ProvisionJob.State: Int]
    /// The jobs of `macs` that exist.
    func jobs(for macs: [MACAddress]) throws -> [MACAddress: ProvisionJob]
    /// How many inventory devices show each state, the job's state, else
    /// the device's (states with none left out).
    func rowStateCounts() throws -> [String: Int]
    /// At most `limit` inventory devices above `after` (by MAC) whose shown
    /// state is `state`, ordered by MAC.
    func macs(inRowState state: String, after: MACAddress?, limit: Int) throws -> [MACAddress]
}

extension ProvisionJobStore {
    public func jobCounts() throws -> [ProvisionJob.State: Int] {
        try jobs().reduce(into: [:]) { $0[$1.state, default: 0] += 1 }
    }
}

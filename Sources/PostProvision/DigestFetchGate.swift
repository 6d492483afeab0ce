import Store

/// When the config server serves files only with Digest
/// (`PostProvisionSettings.requireDigestFetch`, or for one device whose own
/// provisioning secret is in force, `DeviceSecretPush`), a lease proves nothing: any
/// host can lease with an inventory MAC and answer `info.dev.Mac` with it.
/// What proves the phone at the job's address is that device is a fetch of
/// the device's own file that passed the Digest check, from that address,
/// during the device's current lease (at or after `ProvisionJob.leaseStarted`;
/// a fetch before a newer lease was made by whoever held the address then).
///
/// Until then the job talks to the phone not at all: no `info.dev.Mac`
/// (whose answer to the phone's challenge is derived from the admin
/// password), no SET. It waits, retried with backoff, and fails at its
/// deadline with the reason `waiting for a Digest-authenticated fetch ...`.
/// A real phone's fetch also restarts its job (`config-fetch` trigger), so
/// it never waits for the backoff.
enum DigestFetchGate {
    /// Why the job must wait, nil when it may go on.
    static func waiting(for device: Device, job: ProvisionJob, ip: String) -> String? {
        let reason = "waiting for a Digest-authenticated fetch of \(device.mac.compact).cfg from \(ip)"
        guard let fetch = device.digestFetch, fetch.ip == ip else { return reason }
        if let started = job.leaseStarted, fetch.time < started { return reason }
        return nil
    }

    /// The states whose step sends the phone something: the identity check
    /// and the push. (`pushed` is reached only through them.)
    static func guards(_ state: ProvisionJob.State) -> Bool {
        switch state {
        case .leased, .configFetched, .reachable: true
        case .pushed, .verified, .failed: false
        }
    }
}

import DHCPv4
import Logging
import PhoneAPI
import Store

/// One attempt at a job: the step (or steps) its state calls for, each
/// written to the store as soon as it is decided.
///
/// `config-fetched`/`leased`/`reachable`: when the config server requires
/// Digest, nothing until `DigestFetchGate` passes; then GET `info.dev.Mac`
/// at the job's address; another MAC fails the job and nothing is ever SET.
/// Then SET the push items (`pushed`). `pushed`: GET the registerCodes (and the MAC again)
/// until every line is in the success set (`verified`) or the deadline.
/// Over `https`, every attempt first checks the phone's certificate against
/// the pinned one (`CertificatePin`), pinned at the first verification.
struct ProvisionAttempt: Sendable {
    let settings: PostProvisionSettings
    let client: any PhoneAPIClient
    let inventory: any InventoryStore
    let jobs: any ProvisionJobStore
    let pushItems: any PushItemSource
    let metrics: PostProvisionMetrics
    let logger: Logger
    let now: @Sendable () -> Double

    /// Runs until the job waits (backoff), is final, or was reset meanwhile.
    func run(_ start: ProvisionJob) async {
        var job = start
        while !Task.isCancelled {
            let step = await decide(job)
            guard !Task.isCancelled, let next = write(step, for: job) else { return }
            job = next
            if job.state.isFinal || job.due.map({ $0 > now() }) ?? true { return }
        }
    }

    func decide(_ job: ProvisionJob) async -> ProvisionStep {
        if now() >= job.deadline { return .fail("timeout: " + (job.reason ?? "the phone never answered"), status: nil) }
        let device: Device
        do {
            guard let found = try inventory.device(job.mac) else { return .fail("the device is no longer in the inventory", status: nil) }
            device = found
        } catch {
            return .retry("store unavailable")
        }
        guard let ip = job.ip ?? device.lastIP else { return .retry("no address known for the phone yet") }
        if DeviceSecretPush.requiresDigestFetch(device, settings: settings), DigestFetchGate.guards(job.state),
           let waiting = DigestFetchGate.waiting(for: device, job: job, ip: ip) {
            return .retry(waiting)
        }
        let phone = PhoneCall(
            client: client, endpoint: settings.endpoint(ip: ip), credentials: settings.credentials(for: device), expected: device.mac)

        let pin: String?
        switch await CertificatePin.check(phone, device: device) {
        case .stop(let step): return step
        case .proceed(let seen): pin = seen
        }

        switch job.state {
        case .leased, .configFetched:
            let step = await phone.confirmIdentity()
            if let pin, case .advance(.reachable, _, _) = step {
                do {
                    try inventory.pinAPICertificate(device.mac, sha256: pin, now: now())
                } catch {
                    return .retry("store unavailable")
                }
            }
            return step
        case .reachable:
            var pushed = device
            if settings.perDeviceSecret {
                do {
                    pushed = try DeviceSecretPush.prepare(device, inventory: inventory, now: now())
                } catch {
                    return .retry("store unavailable")
                }
            }
            let items: [(key: String, value: String)]
            do {
                items = try pushItems.pushItems(for: pushed)
            } catch {
                return .fail("push items could not be made: \(error)", status: nil)
            }
            if let missing = DeviceSecretPush.missing(in: items, device: pushed) { return .fail(missing, status: nil) }
            let step = await phone.push(items)
            // The phone took the SET (RetCode 0): its secret with the rest.
            if case .advance(.pushed, _, _) = step, let secret = pushed.provisioningSecret {
                do {
                    try inventory.markProvisioningSecretPushed(device.mac, value: secret.value, now: now())
                } catch {
                    return .retry("store unavailable")
                }
            }
            return step
        case .pushed:
            let lines = device.lines.map(\.index).sorted()
            let step = await phone.checkRegistration(lines: lines, check: RegisterCheck(
                successCodes: settings.successCodes, failureCodes: settings.failureCodes))
            // Verified: a secret the phone accepted in a SET comes into force
            // (never one whose push was refused: the phone would be locked out).
            if settings.perDeviceSecret, case .advance(.verified, _, _) = step, let secret = device.provisioningSecret,
               secret.pushedAt != nil, !secret.isInForce {
                do {
                    try inventory.putProvisioningSecretInForce(device.mac, value: secret.value, now: now())
                } catch {
                    return .retry("store unavailable")
                }
            }
            return step
        case .verified, .failed:
            return .fail(job.reason ?? "final", status: nil)
        }
    }

    /// Writes the step; returns the job as stored, nil when a newer trigger
    /// reset it (the attempt is stale) or the store failed.
    func write(_ step: ProvisionStep, for job: ProvisionJob) -> ProvisionJob? {
        let t = now()
        var next = job
        let event: DeviceEvent?
        switch step {
        case .advance(let state, let reason, let status):
            next.state = state
            next.reason = reason
            next.attempts = 0
            next.due = state.isFinal ? nil : t + (state == .pushed ? settings.retryInitial : 0)
            event = DeviceEvent(time: t, kind: .init(rawValue: "provision-" + state.rawValue), mac: job.mac, ip: job.ip,
                                status: status, reason: reason)
        case .retry(let reason):
            next.reason = reason
            next.attempts += 1
            next.due = min(t + Backoff.delay(attempt: next.attempts, initial: settings.retryInitial, max: settings.retryMax), job.deadline)
            event = nil
        case .fail(let reason, let status):
            next.state = .failed
            next.reason = reason
            next.due = nil
            event = DeviceEvent(time: t, kind: .init(rawValue: "provision-failed"), mac: job.mac, ip: job.ip,
                                status: status, reason: reason)
        }
        do {
            let update = ProvisionJobUpdate(state: next.state, reason: next.reason, due: next.due, attempts: next.attempts, event: event)
            guard try jobs.update(job, update, now: t) else { return nil }
        } catch {
            logger.error("provisioning job not written", metadata: ["mac": "\(job.mac.compact)", "error": "\(error)"])
            return nil
        }
        if next.state != job.state {
            metrics.transition(to: next.state)
            if next.state.isFinal { metrics.finished(next.state, after: t - TriggerPolicy(settings: settings).triggered(job)) }
            let level: Logger.Level = next.state == .failed ? .warning : .info
            logger.log(level: level, "provisioning", metadata: [
                "mac": "\(job.mac.compact)", "ip": "\(job.ip ?? "-")", "state": "\(next.state.rawValue)",
                "reason": "\(next.reason ?? "-")",
            ])
        }
        return next
    }
}

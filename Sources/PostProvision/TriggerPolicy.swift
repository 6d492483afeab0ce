import Store

/// Which events (re)start a device's job, and in which state.
///
/// - `leased` (a new binding): state `leased`, first attempt after `leaseGrace`;
///   the job's `leaseStarted` becomes the event's time (at most `now`).
/// - the device's own file served (`config-fetch`, status 200): `config-fetched`,
///   first attempt after `fetchSettle`.
/// - action URL `phone-boot`: `config-fetched`, at once.
/// - action URL `phone-reg-on|reg-off|reg-failed`: a `pushed` job looks at
///   once (its deadline stands); a `verified` one is checked again; a
///   `failed` one only on `reg-on`; earlier states get there on their own.
/// - `push-requested` (`autoprov push`): `config-fetched`, at once.
///
/// Everything else (renewals, refusals, common files, the jobs' own events) is ignored.
public struct TriggerPolicy: Sendable {
    public let settings: PostProvisionSettings

    public init(settings: PostProvisionSettings) {
        self.settings = settings
    }

    public static let phoneEventKinds: Set<String> = ["phone-boot", "phone-reg-on", "phone-reg-off", "phone-reg-failed"]
    public static let pushRequested = DeviceEvent.Kind(rawValue: "push-requested")

    public func plan(_ event: ProvisionTriggerEvent, current: ProvisionJob?, now: Double) -> ProvisionJobReset? {
        switch event {
        case .lease(let e):
            guard e.kind == .leased else { return nil }
            var leased = reset(.leased, "leased", ip: e.ip.description, delay: settings.leaseGrace, now: now)
            // The DHCP server's clock ignores wall-clock steps made after it
            // started; fetches are stamped with the wall clock. A lease
            // stamped ahead of it (the clock was stepped back) starts at
            // the worker's own now, so a real phone's fetch still follows it.
            leased.leaseStarted = min(e.time, now)
            return leased
        case .device(let e):
            switch e.kind.rawValue {
            case DeviceEvent.Kind.configFetch.rawValue:
                guard e.status == 200, e.file == e.mac.compact + ".cfg" else { return nil }
                return reset(.configFetched, "config-fetch", ip: e.ip, delay: settings.fetchSettle, now: now)
            case "phone-boot":
                return reset(.configFetched, e.kind.rawValue, ip: e.ip, delay: 0, now: now)
            case "phone-reg-on", "phone-reg-off", "phone-reg-failed":
                guard let current else { return nil }
                switch current.state {
                case .pushed:
                    // In progress: look now, but the deadline stands.
                    var nudge = reset(.pushed, e.kind.rawValue, ip: e.ip, delay: 0, now: now)
                    nudge.nudgeOnly = true
                    return nudge
                case .verified:
                    // It may have lost its registration: check again.
                    return reset(.pushed, e.kind.rawValue, ip: e.ip, delay: 0, now: now)
                case .failed:
                    // Only good news reopens a failed job: a phone that keeps
                    // failing to register must not keep it running forever.
                    guard e.kind.rawValue == "phone-reg-on" else { return nil }
                    return reset(.pushed, e.kind.rawValue, ip: e.ip, delay: 0, now: now)
                case .leased, .configFetched, .reachable:
                    return nil
                }
            case Self.pushRequested.rawValue:
                return reset(.configFetched, e.kind.rawValue, ip: e.ip, delay: 0, now: now)
            default:
                return nil
            }
        }
    }

    /// When the trigger that started `job`'s current run came: its deadline
    /// less the deadline and the delay this policy gave it.
    public func triggered(_ job: ProvisionJob) -> Double {
        let delay = switch job.trigger {
        case "leased": settings.leaseGrace
        case "config-fetch": settings.fetchSettle
        default: 0.0
        }
        return job.deadline - settings.deadline - delay
    }

    func reset(_ state: ProvisionJob.State, _ trigger: String, ip: String?, delay: Double, now: Double) -> ProvisionJobReset {
        ProvisionJobReset(state: state, trigger: trigger, ip: ip, due: now + delay, deadline: now + delay + settings.deadline)
    }
}

import DHCPv4
@testable import PostProvision
import Store
import Testing

@Suite struct TriggerPolicyTests {
    let mac = MACAddress("0c:38:3e:00:00:01")!
    let policy: TriggerPolicy = {
        var s = PostProvisionSettings()
        s.leaseGrace = 30
        s.fetchSettle = 1
        s.deadline = 300
        return TriggerPolicy(settings: s)
    }()

    func job(_ state: ProvisionJob.State) -> ProvisionJob {
        ProvisionJob(mac: mac, state: state, trigger: "x", created: 0, updated: 0, due: nil, deadline: 0)
    }

    func fetch(_ file: String, status: Int) -> ProvisionTriggerEvent {
        .device(DeviceEvent(time: 5, kind: .configFetch, mac: mac, ip: "127.64.1.5", file: file, status: status))
    }

    @Test func aNewLeaseWaitsForTheFetchAndARenewalIsIgnored() {
        let leased = policy.plan(.lease(LeaseEvent(time: 1, kind: .leased, mac: mac, ip: IPv4Address("127.64.1.5")!)), current: nil, now: 100)
        #expect(leased == ProvisionJobReset(state: .leased, trigger: "leased", ip: "127.64.1.5", due: 130, deadline: 430,
                                            leaseStarted: 1))
        #expect(policy.plan(fetch("0c383e000001.cfg", status: 200), current: nil, now: 100)?.leaseStarted == nil,
                "only a new lease moves the lease's start")
        let ahead = policy.plan(.lease(LeaseEvent(time: 700, kind: .leased, mac: mac, ip: IPv4Address("127.64.1.5")!)), current: nil, now: 100)
        #expect(ahead?.leaseStarted == 100, "a lease stamped ahead of the wall clock starts now")
        #expect(policy.plan(.lease(LeaseEvent(time: 1, kind: .renewed, mac: mac, ip: IPv4Address("127.64.1.5")!)), current: nil, now: 100) == nil)
    }

    @Test func onlyTheDevicesOwnServedFileTriggers() {
        #expect(policy.plan(fetch("0c383e000001.cfg", status: 200), current: nil, now: 100)?.state == .configFetched)
        #expect(policy.plan(fetch("0c383e000001.cfg", status: 200), current: nil, now: 100)?.due == 101)
        #expect(policy.plan(fetch("0c383e000001.cfg", status: 403), current: nil, now: 100) == nil)
        #expect(policy.plan(fetch("F0V00X600000.cfg", status: 200), current: nil, now: 100) == nil)
    }

    @Test func registrationEventsOnlyRecheckPushedOrFinishedJobs() {
        let regOn = ProvisionTriggerEvent.device(DeviceEvent(time: 5, kind: .init(rawValue: "phone-reg-on"), mac: mac, ip: "127.64.1.5"))
        let regFailed = ProvisionTriggerEvent.device(DeviceEvent(time: 5, kind: .init(rawValue: "phone-reg-failed"), mac: mac, ip: "127.64.1.5"))
        #expect(policy.plan(regOn, current: job(.failed), now: 100)?.state == .pushed)
        #expect(policy.plan(regFailed, current: job(.failed), now: 100) == nil, "a failing phone does not reopen its job")
        #expect(policy.plan(regFailed, current: job(.verified), now: 100)?.state == .pushed)
        #expect(policy.plan(regOn, current: job(.verified), now: 100)?.due == 100)
        #expect(policy.plan(regFailed, current: job(.pushed), now: 100)?.nudgeOnly == true, "in progress: the deadline stands")
        #expect(policy.plan(regOn, current: job(.reachable), now: 100) == nil)
        #expect(policy.plan(regOn, current: nil, now: 100) == nil)
        let boot = ProvisionTriggerEvent.device(DeviceEvent(time: 5, kind: .init(rawValue: "phone-boot"), mac: mac, ip: "127.64.1.5"))
        #expect(policy.plan(boot, current: job(.verified), now: 100)?.state == .configFetched)
        let own = ProvisionTriggerEvent.device(DeviceEvent(time: 5, kind: .init(rawValue: "provision-verified"), mac: mac))
        #expect(policy.plan(own, current: job(.verified), now: 100) == nil, "the jobs' own events never trigger")
    }

    /// `autoprov_provision_duration_seconds` counts from the trigger: the
    /// policy finds it again from the job's deadline and trigger.
    @Test func theTriggerTimeIsFoundAgainFromTheDeadline() throws {
        let events: [ProvisionTriggerEvent] = [
            .lease(LeaseEvent(time: 1, kind: .leased, mac: mac, ip: IPv4Address("127.64.1.5")!)),
            fetch("0c383e000001.cfg", status: 200),
            .device(DeviceEvent(time: 5, kind: TriggerPolicy.pushRequested, mac: mac, ip: "127.64.1.5")),
        ]
        for event in events {
            let reset = try #require(policy.plan(event, current: nil, now: 1000))
            let job = ProvisionJob(mac: mac, state: reset.state, trigger: reset.trigger, created: 0, updated: 0,
                                   due: reset.due, deadline: reset.deadline)
            #expect(policy.triggered(job) == 1000, "\(reset.trigger)")
        }
    }
}

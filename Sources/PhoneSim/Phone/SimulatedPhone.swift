import DHCPv4
import NIOCore

/// One simulated Fanvil phone: power on, boot (DHCP through the relay,
/// config fetch, API listener, SIP registration, action URLs), then obey
/// what its API asks (register lines again, reboot) until cancelled.
///
/// `run` is meant to be one child task of the fleet's task group; the API
/// handlers reach it through an `AsyncStream` of commands, so nothing polls.
public final class SimulatedPhone: Sendable {
    /// What the API asks the boot task to do.
    enum Command: Sendable {
        case reregister([Int])
        case reboot
        /// T1 of the lease has come (sent by the session's own timer).
        case renew
    }

    public let state: PhoneState
    let environment: PhoneEnvironment
    private let commands: AsyncStream<Command>
    private let commandSink: AsyncStream<Command>.Continuation

    public init(state: PhoneState, environment: PhoneEnvironment) {
        self.state = state
        self.environment = environment
        (commands, commandSink) = AsyncStream.makeStream(of: Command.self)
    }

    var mac: String { state.identity.mac.compact }

    /// Powers on after `delay`, then boots and serves until cancelled.
    public func run(powerOnDelay delay: Duration = .zero) async {
        defer { commandSink.finish() }
        if delay > .zero {
            do { try await Task.sleep(for: delay) } catch { return }
        }
        var previous: IPv4Address?
        var iterator = commands.makeAsyncIterator()
        while !Task.isCancelled {
            guard let session = await boot(previous: previous) else { return }
            previous = session.address
            let reboot = await serve(session, commands: &iterator)
            await session.close()
            guard reboot, !Task.isCancelled else { return }
            do { try await Task.sleep(for: environment.rebootDowntime) } catch { return }
        }
    }

    /// Carries out commands until one asks for a reboot (true) or the task
    /// is cancelled (false). A child task sends `.renew` at the lease's T1.
    private func serve(_ session: BootSession, commands: inout AsyncStream<Command>.Iterator) async -> Bool {
        var session = session
        return await withTaskGroup(of: Void.self) { timers in
            defer { timers.cancelAll() }
            scheduleRenewal(session, in: &timers)
            while let command = await commands.next() {
                switch command {
                case let .reregister(lines):
                    await register(lines: lines, session: session)
                case .renew:
                    guard await renew(&session) else {
                        emit(.rebooting, ip: session.ip)
                        return true
                    }
                    scheduleRenewal(session, in: &timers)
                case .reboot:
                    emit(.rebooting, ip: session.ip)
                    return true
                }
            }
            return false
        }
    }

    private func scheduleRenewal(_ session: BootSession, in timers: inout TaskGroup<Void>) {
        guard let delay = session.renewAfter else { return }
        let sink = commandSink
        timers.addTask {
            if (try? await Task.sleep(for: delay)) != nil { sink.yield(.renew) }
        }
    }

    /// Runs DHCP again for the same address. True when the lease was
    /// renewed with it; false (the phone then reboots) when the address
    /// changed or no server answered before the deadline.
    private func renew(_ session: inout BootSession) async -> Bool {
        let client = DHCPLeaseClient(relay: environment.relay, mac: state.identity.mac)
        guard let lease = await client.acquire(deadline: .now() + environment.dhcpDeadline, previous: session.address),
              lease.address == session.address else { return false }
        session.renewAfter = lease.renewAfter
        return true
    }

    /// What the API handlers call after their reply.
    func apply(_ effect: XMLServiceAnswer.Effect) {
        switch effect {
        case let .reregister(lines): commandSink.yield(.reregister(lines))
        case .reboot: commandSink.yield(.reboot)
        }
    }

    func emit(_ kind: PhoneEvent.Kind, ip: String?, code: Int? = nil) {
        environment.events(PhoneEvent(mac: mac, kind: kind, ip: ip, code: code))
    }
}

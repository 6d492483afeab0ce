import Foundation
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The whole simulated fleet as one `Service`: one shared event loop group,
/// one relay socket, each phone a child task of one task group, a progress
/// line on stderr every second. Ends (closing everything) on graceful
/// shutdown or cancellation.
public struct Fleet: Service {
    public var options: FleetOptions
    /// Where the progress line goes (stderr by default).
    public var progressOutput: @Sendable (String) -> Void

    public init(options: FleetOptions, progressOutput: @escaping @Sendable (String) -> Void = Fleet.writeToStandardError) {
        self.options = options
        self.progressOutput = progressOutput
    }

    public func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, options.threads))
        let log = try EventLog(path: options.eventsPath)
        let progress = FleetProgress(phones: options.count)
        do {
            let relay = try await DHCPRelayAgent.start(
                relay: options.relay, port: options.dhcpPort, device: options.device,
                server: options.server, serverPort: options.dhcpPort, group: group)
            var environment = PhoneEnvironment(
                group: group, relay: relay, apiPort: options.apiPort, sipPort: options.sipPort,
                events: { event in
                    progress.record(event)
                    log.record(event)
                })
            environment.pnp = options.pnp
            environment.pnpGroup = options.pnpGroup
            environment.pnpPort = options.pnpPort
            let phones = environment
            await cancelWhenGracefulShutdown {
                await runPhones(environment: phones, progress: progress)
            }
            await relay.close()
        } catch {
            log.close()
            try? await group.shutdownGracefully()
            throw error
        }
        progressOutput(progress.summary)
        log.close()
        try await group.shutdownGracefully()
    }

    private func runPhones(environment: PhoneEnvironment, progress: FleetProgress) async {
        let options = options
        let output = progressOutput
        await withDiscardingTaskGroup { tasks in
            tasks.addTask {
                while (try? await Task.sleep(for: .seconds(1))) != nil {
                    output(progress.summary)
                }
            }
            for index in 0..<options.count {
                let state = PhoneState(identity: options.identity(index), faults: options.faults(index))
                let phone = SimulatedPhone(state: state, environment: environment)
                tasks.addTask { await phone.run(powerOnDelay: options.powerOnDelay(index)) }
            }
        }
    }

    @Sendable public static func writeToStandardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

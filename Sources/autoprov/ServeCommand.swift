import AutoprovConfig
import ArgumentParser
import DHCPServer
import Logging
import ServiceLifecycle
import Store

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the server (DHCP responder) until SIGTERM or SIGINT.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let settings = try loadSettings(options)
        bootstrapLogging(level: settings.logLevel)
        let logger = Logger(label: "autoprov")
        var services: [any Service] = []
        if settings.dhcpEnabled {
            let bindings: [InterfaceBinding]
            do {
                bindings = try InterfaceAddresses.bindings(for: settings.dhcp.interfaces, subnets: settings.dhcp.subnets)
            } catch {
                printError(error.description)
                throw ExitCode(3)
            }
            let store = try openStore(settings)
            services.append(DHCPServerService(
                settings: settings.dhcp, bindings: bindings, store: store, logger: Logger(label: "autoprov.dhcp")))
        }
        if services.isEmpty {
            printError("nothing to serve: dhcp.enabled is false")
            throw ExitCode(2)
        }
        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

func openStore(_ settings: AutoprovSettings) throws -> SQLiteLeaseStore {
    do {
        return try SQLiteLeaseStore(path: settings.storePath, synchronous: settings.synchronous)
    } catch {
        printError("cannot open the store at \(settings.storePath): \(error)")
        throw ExitCode(1)
    }
}

import AutoprovConfig
import ArgumentParser
import ConfigServer
import DHCPObserver
import DHCPServer
import Foundation
import ListenerReadiness
import Logging
import PhoneAPI
import Rendering
import ServiceLifecycle
import Store
import SystemdNotify

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the server (DHCP responder, config file server, admin API) until SIGTERM or SIGINT.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let settings = try loadSettings(options)
        bootstrapLogging(level: settings.logLevel)
        let observability = Observability.bootstrap(settings)
        let logger = Logger(label: "autoprov")
        let database = try openDatabase(settings)
        observability.readiness.mark(.store)
        let leases = SQLiteLeaseStore(database: database)
        let inventory = SQLiteInventoryStore(database: database)
        var services: [any Service] = []
        var reloadTargets = ReloadTargets()
        let readiness = observability.readiness
        if settings.dhcpEnabled && !settings.dhcp.interfaces.isEmpty {
            let bindings: [InterfaceBinding]
            do {
                bindings = try InterfaceAddresses.bindings(for: settings.dhcp.interfaces, subnets: settings.dhcp.subnets)
            } catch {
                printError(error.description)
                throw ExitCode(3)
            }
            let dhcp = DHCPServerService(
                settings: settings.dhcp, bindings: bindings, store: leases, logger: Logger(label: "autoprov.dhcp"),
                onListening: { readiness.mark(.dhcp) })
            observability.onScrape(dhcp.refreshGauges)
            services.append(dhcp)
            reloadTargets.dhcp = dhcp
        }
        if settings.dhcpEnabled && !settings.observeInterfaces.isEmpty {
            services.append(ObserveService(
                interfaces: settings.observeInterfaces, store: leases,
                filter: ObserveFilter(classes: settings.dhcp.classes) { mac in
                    ((try? inventory.device(mac)) ?? nil) != nil
                },
                logger: Logger(label: "autoprov.observe"),
                onOpen: { readiness.mark(.dhcpObserve) }))
        }
        var phoneClient: HTTPPhoneAPIClient?
        if settings.configServer.enabled || settings.admin.enabled || settings.postProvision.enabled {
            let renderer = try makeRenderer(settings)
            let http = try HTTPServices.make(
                settings: settings, renderer: renderer, database: database, inventory: inventory, leases: leases,
                observability: observability, logger: logger)
            services += http.services
            reloadTargets.renderer = renderer
            reloadTargets.phoneFiles = http.phoneFiles
            if settings.postProvision.enabled {
                let (worker, client) = PostProvisionServices.make(
                    settings: settings, database: database, inventory: inventory, renderer: renderer)
                observability.onScrape(worker.refreshGauges)
                services.append(worker)
                reloadTargets.worker = worker
                phoneClient = client
            }
        }
        if settings.sipPnP.enabled {
            services.append(SIPPnPServices.make(settings: settings, inventory: inventory) { readiness.mark(.sipPnP) })
        }
        if services.isEmpty {
            printError("nothing to serve: dhcp, config_server, admin and sip_pnp are all disabled")
            throw ExitCode(2)
        }
        services.append(RetentionService(store: database, policy: settings.retention, logger: Logger(label: "autoprov.store")))
        services.append(ConfigReloadService(
            path: options.config, settings: settings, targets: reloadTargets,
            notifier: SystemdNotifier(environment: ProcessInfo.processInfo.environment), readiness: readiness,
            logger: Logger(label: "autoprov.reload")))
        services += SystemdServices.make(
            readiness: readiness, leases: leases, onStopping: { readiness.stopping() })
        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            try? await phoneClient?.shutdown()
            throw error
        }
        try? await phoneClient?.shutdown()
    }
}

func openDatabase(_ settings: AutoprovSettings) throws -> SQLiteDatabase {
    do {
        return try SQLiteDatabase(path: settings.storePath, synchronous: settings.synchronous)
    } catch {
        printError("cannot open the store at \(settings.storePath): \(error)")
        throw ExitCode(1)
    }
}

func openStore(_ settings: AutoprovSettings) throws -> SQLiteLeaseStore {
    SQLiteLeaseStore(database: try openDatabase(settings))
}

func openInventory(_ settings: AutoprovSettings) throws -> SQLiteInventoryStore {
    SQLiteInventoryStore(database: try openDatabase(settings))
}

func makeRenderer(_ settings: AutoprovSettings) throws -> Renderer {
    do {
        return try Renderer(settings: settings.render)
    } catch {
        printError(error.description)
        throw ExitCode(2)
    }
}

import AutoprovConfig
import ArgumentParser
import ConfigServer
import Hummingbird
import ListenerReadiness
import Logging
import NIOSSL
import Rendering
import ServiceLifecycle
import Store

/// The HTTP side of `serve`: the phones' listener (HTTP, optionally HTTPS,
/// on SwiftNIO), the admin API and its status page (Hummingbird), the
/// inventory cache and the fetch event recorder.
enum HTTPServices {
    static func make(
        settings: AutoprovSettings, renderer: Renderer, database: SQLiteDatabase, inventory: any InventoryStore,
        leases: any LeaseStore, observability: Observability, logger: Logger
    ) throws -> (services: [any Service], phoneFiles: PhoneFileService?) {
        var services: [any Service] = []
        var phoneFiles: PhoneFileService?
        let readiness = observability.readiness
        let httpLogger = Logger(label: "autoprov.http")
        if settings.configServer.enabled {
            let recorder = FetchRecorder(store: inventory, logger: httpLogger)
            let cache = InventoryCache(inventory: inventory, leases: leases, changes: database.changes, logger: httpLogger)
            cache.refresh()
            let service = PhoneFileService(
                settings: settings.configServer, renderer: renderer, inventory: inventory, directory: cache,
                leases: cache, recorder: recorder, logger: httpLogger)
            phoneFiles = service
            services.append(recorder)
            services.append(cache)
            let listen = settings.configServer.listen
            let limits = settings.configServer.limits
            services.append(PhoneHTTPServer(
                host: listen.host, port: listen.port, service: service, limits: limits, logger: httpLogger,
                onListening: {
                    readiness.mark(.configHTTP)
                }))
            if let https = settings.configServer.https {
                let tls: NIOSSLContext
                do {
                    tls = try NIOSSLContext(configuration: TLSConfiguration.makeServerConfiguration(
                        certificateChain: try NIOSSLCertificate.fromPEMFile(https.certificate).map { .certificate($0) },
                        privateKey: .privateKey(try NIOSSLPrivateKey(file: https.key, format: .pem))))
                } catch {
                    printError("config_server.https: cannot load the certificate or key: \(error)")
                    throw ExitCode(2)
                }
                services.append(PhoneHTTPServer(
                    host: https.listen.host, port: https.listen.port, service: service, tls: tls, limits: limits, logger: httpLogger,
                    onListening: {
                        readiness.mark(.configHTTPS)
                    }))
            }
        }
        if settings.admin.enabled {
            let token: String
            do {
                token = try AdminToken.loadOrCreate(path: settings.admin.tokenFile)
            } catch {
                printError(error.description)
                throw ExitCode(2)
            }
            logger.info("admin API", metadata: ["listen": "\(settings.admin.listen)", "token_file": "\(settings.admin.tokenFile)"])
            let api = AdminAPI(
                inventory: inventory, jobs: SQLiteProvisionJobStore(database: database), renderer: renderer, token: token,
                health: observability.healthRoutes)
            services.append(api.imports)
            services.append(Application(
                router: api.router(), server: .http1(configuration: AdminListener.channelConfiguration(settings.admin.limits)),
                configuration: configuration(settings.admin.listen),
                onServerRunning: { _ in
                    readiness.mark(.admin)
                }, logger: httpLogger))
        }
        return (services, phoneFiles)
    }

    static func configuration(_ listen: ListenAddress) -> ApplicationConfiguration {
        ApplicationConfiguration(address: .hostname(listen.host, port: listen.port), serverName: nil)
    }
}

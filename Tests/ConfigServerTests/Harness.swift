import ConfigServer
import DHCPv4
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Rendering
import Store

let shippedTemplates: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("Templates").path
}()

let phoneMAC = MACAddress("0c:38:3e:07:e1:6c")!
let fanvilUA = "Fanvil X6 2.10.2.6887 0c383e07e16c"

/// A real store (SQLite in a temporary folder), the shipped templates, and
/// the phone responder and admin API on live sockets on 127.0.0.1.
struct Harness {
    let database: SQLiteDatabase
    let inventory: SQLiteInventoryStore
    let leases: SQLiteLeaseStore
    let jobs: SQLiteProvisionJobStore
    let renderer: Renderer
    let recorder: FetchRecorder
    let cache: InventoryCache
    let overrideFolder: String

    init(globals: [String: String] = [:]) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("autoprov-http-\(UUID().uuidString)").path
        overrideFolder = dir + "/templates"
        try FileManager.default.createDirectory(atPath: overrideFolder, withIntermediateDirectories: true)
        database = try SQLiteDatabase(path: dir + "/store.sqlite", synchronous: .normal)
        inventory = SQLiteInventoryStore(database: database)
        leases = SQLiteLeaseStore(database: database)
        jobs = SQLiteProvisionJobStore(database: database)
        renderer = try Renderer(settings: RenderSettings(
            overrideFolder: overrideFolder, shippedFolder: shippedTemplates, globalVariables: globals))
        recorder = FetchRecorder(store: inventory, logger: Logger(label: "test"))
        cache = InventoryCache(inventory: inventory, leases: leases, logger: Logger(label: "test"))
    }

    /// Adds the test phone with one line.
    func addPhone(variables: [String: String] = [:]) throws {
        try inventory.insert(Device(
            mac: phoneMAC, label: "Desk 1", adminUser: "admin", adminPassword: "adm-pw", variables: variables,
            lines: [SIPLine(index: 1, number: "101", password: "sip-s3cret", registrar: "pbx.example")]), now: 1)
    }

    /// A bound lease of `ip` to `mac`, as the DHCP server commits it.
    func lease(_ ip: String, to mac: MACAddress = phoneMAC) throws {
        let now = Int64(Date().timeIntervalSince1970)
        try leases.commitBlocking(leases: [Lease(
            ip: IPv4Address(ip)!, mac: mac, clientID: nil, state: .bound, subnet: "127.0.0.0/8", className: "fanvil",
            hostname: nil, expires: now + 3600, updated: now)], events: [])
    }

    func adminApp(token: String = String(repeating: "ab", count: 32)) -> some ApplicationProtocol {
        let api = AdminAPI(inventory: inventory, jobs: jobs, renderer: renderer, token: token)
        return Application(
            router: api.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)), services: [api.imports])
    }

    func service(_ settings: ConfigServerSettings = ConfigServerSettings()) -> PhoneFileService {
        PhoneFileService(
            settings: settings, renderer: renderer, inventory: inventory, directory: cache, leases: cache,
            recorder: recorder, logger: Logger(label: "test"))
    }

    func phoneApp(_ settings: ConfigServerSettings = ConfigServerSettings()) -> PhoneServerTester {
        PhoneServerTester(server: PhoneHTTPServer(host: "127.0.0.1", port: 0, service: service(settings), logger: Logger(label: "test")))
    }
}

/// Runs the phone listener on a free port of 127.0.0.1 around a test.
struct PhoneServerTester {
    let server: PhoneHTTPServer

    func test(_ body: (PhoneTestClient) async throws -> Void) async throws {
        let channels = try await server.bind()
        do {
            try await body(PhoneTestClient(port: channels[0].localAddress!.port!))
        } catch {
            for channel in channels { try? await channel.close().get() }
            throw error
        }
        for channel in channels { try await channel.close().get() }
    }

}

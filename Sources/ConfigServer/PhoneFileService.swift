import DHCPv4
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Reloading
import Rendering
import Store

/// Serves phones their files: recognise the name, identify the device,
/// authorise the request, render (or reuse) the file, record the fetch.
/// Synchronous and free of HTTP plumbing: `PhoneHTTPServer` feeds it.
public struct PhoneFileService: Sendable {
    /// Shared by every copy: `reload(settings:)` changes them for all.
    let liveSettings: Reloadable<ConfigServerSettings>
    var settings: ConfigServerSettings { liveSettings.current }
    let renderer: Renderer
    /// Where new devices are written (autocreate).
    let inventory: any InventoryStore
    /// Where devices and groups are read (in memory, following the store).
    let directory: any DeviceDirectory
    let leases: any LeaseLookup
    let recorder: FetchRecorder
    let cache: RenderCache
    let digest: DigestAuthenticator
    let metrics: FetchMetrics
    let agents = UserAgentCache()
    /// Which refusals are written down and which only counted.
    let refusals = RefusalSampler()
    let logger: Logger
    let now: @Sendable () -> Double

    public init(
        settings: ConfigServerSettings, renderer: Renderer, inventory: any InventoryStore, directory: any DeviceDirectory,
        leases: any LeaseLookup,
        recorder: FetchRecorder, cache: RenderCache = RenderCache(), logger: Logger,
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        liveSettings = Reloadable(settings)
        self.renderer = renderer
        self.inventory = inventory
        self.directory = directory
        self.leases = leases
        self.recorder = recorder
        self.cache = cache
        self.digest = DigestAuthenticator(realm: settings.digestRealm, logger: logger)
        self.metrics = FetchMetrics()
        self.logger = logger
        self.now = now
    }

    /// New settings (SIGHUP), from the next request on. The listeners and
    /// the Digest realm stay as started (`restartNeeded(toApply:)`).
    public func reload(settings new: ConfigServerSettings) throws(ReloadRefusal) {
        let keys = settings.restartNeeded(toApply: new)
        guard keys.isEmpty else { throw ReloadRefusal(keys: keys) }
        liveSettings.replace(new)
    }

    /// One fetch as it is being decided, for the event and the log line.
    struct Fetch {
        var time: Double
        var target: String
        var file: String?
        var ip: IPv4Address?
        /// The source address as text (IPv6 too): what Digest nonces are
        /// bound to and failures counted by.
        var client = "-"
        var userAgent: String?
        var agent: UserAgent?
        var mac: MACAddress?
        /// The MAC is in the inventory: only then is a refusal recorded as
        /// its event (a flood of made-up MACs must not grow the store).
        var known = false
    }

    public func handle(_ request: PhoneRequest) -> PhoneResponse {
        if let action = actionURL(request) { return action }
        do {
            return try decide(request)
        } catch {
            // The store failed; the phone retries later.
            logger.error("config fetch failed", metadata: ["error": "\(error)", "target": "\(request.target.prefix(64))"])
            return PhoneResponse(status: .serviceUnavailable, body: "store-unavailable\n")
        }
    }

    func decide(_ request: PhoneRequest) throws -> PhoneResponse {
        let target = request.target
        var fetch = Fetch(time: now(), target: target, ip: request.remote.flatMap(Self.ipv4), userAgent: request.userAgent)
        fetch.client = request.remote?.ipAddress ?? "-"
        fetch.agent = fetch.userAgent.flatMap { agents.parse($0, profile: renderer.profile) }
        guard request.method == .GET || request.method == .HEAD else {
            return refuse(.method, fetch, extraHeaders: [("Allow", "GET, HEAD")])
        }
        let name: String
        switch RequestPath.fileName(target: target, prefix: settings.pathPrefix) {
        case .refused(let reason): return refuse(reason, fetch)
        case .file(let file): name = file
        }
        fetch.file = name
        let file: PhoneFile
        switch PhoneFile.recognise(name, profile: renderer.profile) {
        case .zeroMAC: return refuse(.zeroMAC, fetch)
        case .unknown: return refuse(.notFound, fetch)
        case .file(let recognised): file = recognised
        }
        // Who is asking: the MAC in the file name, else the User-Agent's,
        // else whoever holds the source address.
        switch file {
        case .device(let mac):
            fetch.mac = mac
        case .common, .firmware:
            fetch.mac = fetch.agent?.mac ?? fetch.ip.flatMap { leases.boundDevice(at: $0, now: Int64(fetch.time)) }
        }
        guard let mac = fetch.mac else { return refuse(.unknownDevice, fetch) }
        // An unknown phone is only a candidate until it passes the same
        // authorisation as a known one: a refused request adds nothing.
        let known = try directory.device(mac)
        fetch.known = known != nil
        if case .device = file, let agent = fetch.agent, agent.mac != mac { return refuse(.userAgentMismatch, fetch) }
        guard var device = known ?? candidate(mac, fetch) else { return refuse(.unknownDevice, fetch) }
        let group = try directory.group(device.group)
        let byDigest: Bool
        switch authorize(request, fetch, device: device, group: group) {
        case .refused(let refusal): return refusal
        case .granted(let digest): byDigest = digest
        }
        if known == nil {
            device = try create(device, fetch)
            fetch.known = true
        }

        let rendering = renderer.snapshot
        let stamp = [device.revision, group?.revision ?? 0, rendering.library.generation(now: fetch.time), rendering.revision]
        let rendered: RenderedFile
        let bytes: ByteBuffer
        if let (cached, cachedBytes) = cache.get(mac: mac.value, file: name, stamp: stamp) {
            (rendered, bytes) = (cached, cachedBytes)
        } else {
            do {
                rendered = try renderer.render(file, device: device, group: group)
            } catch {
                return refuse(Self.refusal(for: error), fetch, detail: error.description)
            }
            bytes = cache.put(mac: mac.value, file: name, stamp: stamp, rendered: rendered)
        }
        var isOwnFile = false
        if case .device = file { isOwnFile = true }
        record(fetch, status: 200, reason: nil, ownFile: isOwnFile, byDigest: byDigest)
        metrics.served.increment()
        return PhoneResponse(status: .ok, contentType: rendered.contentType, body: rendered.body, bytes: bytes)
    }

    static func refusal(for error: RenderError) -> FetchRefusal {
        switch error {
        case .noTemplate: .noTemplate
        case .noFirmware: .noFirmware
        default: .renderError
        }
    }

    /// The device an unknown phone would become under `unknown_devices:
    /// autocreate` (`discovered`, default group); nil when it stays unknown.
    func candidate(_ mac: MACAddress, _ fetch: Fetch) -> Device? {
        guard settings.unknownDevices == .autocreate else { return nil }
        return Device(
            mac: mac, model: fetch.agent.map(\.model).flatMap(Self.plainModel), group: settings.defaultGroup,
            state: .discovered, firmware: fetch.agent?.firmware, lastIP: fetch.ip?.description, lastSeen: fetch.time)
    }

    /// Adds an authorised candidate to the inventory.
    func create(_ device: Device, _ fetch: Fetch) throws -> Device {
        do {
            try inventory.insert(device, now: fetch.time)
            logger.notice("device discovered", metadata: ["mac": "\(device.mac.compact)", "ip": "\(fetch.ip?.description ?? "-")"])
            recorder.record(
                DeviceEvent(time: fetch.time, kind: .discovered, mac: device.mac, ip: fetch.ip?.description), contact: nil)
        } catch InventoryError.exists {
            // Another request created it first.
        }
        return try inventory.device(device.mac) ?? device
    }

    /// A model from a User-Agent is recorded only when it is a plain name.
    static func plainModel(_ model: String) -> String? {
        model.utf8.count <= 64 && model.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil || " _.-".unicodeScalars.contains($0) }
            ? model : nil
    }

    static func ipv4(_ address: SocketAddress) -> IPv4Address? {
        if case .v4(let v4) = address {
            return IPv4Address(UInt32(bigEndian: v4.address.sin_addr.s_addr))
        }
        guard var text = address.ipAddress else { return nil }
        if text.hasPrefix("::ffff:") { text = String(text.dropFirst(7)) }
        return IPv4Address(text)
    }
}

import ArgumentParser
import Foundation
import Store

/// `autoprov status`: every device, where its provisioning stands, and why.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show every device's provisioning state, its reason and its last event.",
        discussion: """
            States: new / discovered (no job yet), leased, config-fetched, reachable (info.dev.Mac matched), \
            pushed, verified (every line registered), failed (with the reason).
            """)
    @Option(help: "Only devices in this state.") var state: String?
    @Flag(help: "Print a JSON array.") var json = false
    @Flag(help: "Print only the number of devices in each state, as one JSON object.") var summary = false
    @OptionGroup var options: ConfigOption

    struct Row: Encodable {
        var mac: String
        var label: String
        var state: String
        var reason: String?
        var ip: String?
        var since: String?
        var trigger: String?
        var lastEvent: String?
        var lastEventTime: String?
        /// Epoch seconds of the job's first trigger and of its last change.
        var started: Double?
        var updated: Double?

        enum CodingKeys: String, CodingKey {
            case mac, label, state, reason, ip, since, trigger, started, updated
            case lastEvent = "last_event", lastEventTime = "last_event_time"
        }
    }

    func run() throws {
        let settings = try loadSettings(options)
        let database = try openDatabase(settings)
        let inventory = SQLiteInventoryStore(database: database)
        let jobs = Dictionary(uniqueKeysWithValues: try SQLiteProvisionJobStore(database: database).jobs().map { ($0.mac, $0) })
        let devices = try inventory.devices(group: nil, state: nil)
        if summary {
            let states = devices.map { jobs[$0.mac]?.state.rawValue ?? $0.state.rawValue }
            return printJSON(Dictionary(grouping: states, by: { $0 }).mapValues(\.count))
        }
        var rows: [Row] = []
        for device in devices {
            let job = jobs[device.mac]
            let last = try inventory.events(for: device.mac, limit: 1).first
            let row = Row(
                mac: device.mac.compact, label: device.label, state: job?.state.rawValue ?? device.state.rawValue,
                reason: job?.reason, ip: job?.ip ?? device.lastIP, since: job.map { stamp($0.updated) }, trigger: job?.trigger,
                lastEvent: last.map { $0.kind.rawValue + ($0.status.map { " \($0)" } ?? "") }, lastEventTime: last.map { stamp($0.time) },
                started: job?.created, updated: job?.updated)
            if let state, row.state != state { continue }
            rows.append(row)
        }
        if json { return printJSON(rows) }
        let counts = Dictionary(grouping: rows, by: \.state).mapValues(\.count)
        print(rows.count, "device(s):", counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        guard !rows.isEmpty else { return }
        let labelWidth = min(max(5, rows.map(\.label.count).max() ?? 0), 24)
        print(pad("MAC", 12), pad("LABEL", labelWidth), pad("STATE", 14), pad("IP", 15), pad("SINCE", 20), "LAST EVENT / REASON")
        for r in rows {
            let detail = [r.lastEvent, r.reason].compactMap { $0 }.joined(separator: " / ")
            print(pad(r.mac, 12), pad(String(r.label.prefix(labelWidth)), labelWidth), pad(r.state, 14), pad(r.ip ?? "-", 15),
                  pad(r.since ?? "-", 20), detail.isEmpty ? "-" : detail)
        }
    }

    func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}

/// `autoprov push MAC...`: ask the running server to drive these phones now.
struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Push and verify these devices now (the running server picks the request up from the store).")
    @Argument(help: "The phones' MAC addresses.") var macs: [String] = []
    @Flag(help: "Every device in the inventory.") var all = false
    @OptionGroup var options: ConfigOption

    func run() throws {
        guard all != !macs.isEmpty else { throw ValidationError("give MAC addresses or --all, not both or neither") }
        let settings = try loadSettings(options)
        let inventory = try openInventory(settings)
        var targets = try macs.map(parseMAC)
        if all { targets = try inventory.devices(group: nil, state: nil).map(\.mac) }
        for mac in targets where try inventory.device(mac) == nil {
            printError("device \(mac.compact) not found")
            throw ExitCode(1)
        }
        let now = Date().timeIntervalSince1970
        try inventory.record(events: targets.map {
            DeviceEvent(time: now, kind: .init(rawValue: "push-requested"), mac: $0, reason: "by autoprov push")
        }, contacts: [])
        print("push requested for \(targets.count) device(s); `autoprov status` shows the outcome")
    }
}

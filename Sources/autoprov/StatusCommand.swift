import ArgumentParser
import ConfigServer
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

    func run() throws {
        let settings = try loadSettings(options)
        let database = try openDatabase(settings)
        let inventory = SQLiteInventoryStore(database: database)
        var rows = try ProvisioningJSON.all(inventory: inventory, jobs: SQLiteProvisionJobStore(database: database))
        if summary { return printJSON(Dictionary(grouping: rows.map(\.state), by: { $0 }).mapValues(\.count)) }
        if let state { rows = rows.filter { $0.state == state } }
        if json { return printJSON(rows) }
        let counts = Dictionary(grouping: rows, by: \.state).mapValues(\.count)
        print(rows.count, "device(s):", counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        guard !rows.isEmpty else { return }
        let labelWidth = min(max(5, rows.map(\.label.count).max() ?? 0), 24)
        print(pad("MAC", 12), pad("LABEL", labelWidth), pad("STATE", 14), pad("IP", 15), pad("SINCE", 20), "LAST EVENT / REASON")
        for r in rows {
            let last = r.last_event.map { $0 + (r.last_event_status.map { " \($0)" } ?? "") }
            let detail = [last, r.reason].compactMap { $0 }.joined(separator: " / ")
            print(pad(r.mac, 12), pad(String(r.label.prefix(labelWidth)), labelWidth), pad(r.state, 14), pad(r.ip ?? "-", 15),
                  pad(r.updated.map(stamp) ?? "-", 20), detail.isEmpty ? "-" : detail)
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

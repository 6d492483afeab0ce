import AutoprovConfig
import ArgumentParser
import ConfigServer
import DHCPv4
import Foundation
import Store

extension DeviceCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a device, its resolved variables and its last events.")
        @Argument(help: "The phone's MAC address.") var mac: String
        @Option(help: "How many events to show.") var events = 10
        @Flag(help: "Print the device as the admin API does (JSON, no passwords).") var json = false
        @OptionGroup var options: ConfigOption

        func run() throws {
            let mac = try parseMAC(mac)
            let settings = try loadSettings(options)
            let store = try openInventory(settings)
            guard let d = try store.device(mac) else {
                printError("device \(mac.compact) not found")
                throw ExitCode(1)
            }
            if json { return printJSON(DeviceJSON(d)) }
            print("mac        \(d.mac.compact) (\(d.mac))")
            print("label      \(d.label)")
            print("model      \(d.model ?? "-")   firmware \(d.firmware ?? "-")")
            print("group      \(d.group)")
            print("state      \(d.state.rawValue)   last ip \(d.lastIP ?? "-")   last seen \(stamp(d.lastSeen))")
            print("admin      \(d.adminUser ?? "-") password \((d.adminPassword ?? "").isEmpty ? "not set" : "set")")
            print("secret     \(ProvisioningSecret.summary(d.provisioningSecret))")
            for l in d.lines {
                print("line \(l.index)     \(l.number) auth \(l.authUser.isEmpty ? l.number : l.authUser) @ \(l.registrar.isEmpty ? "(variable registrar)" : l.registrar):\(l.registrarPort)/\(l.transport.rawValue) password \(l.password.isEmpty ? "not set" : "set")")
            }
            for (name, value) in d.variables.sorted(by: { $0.key < $1.key }) { print("var        \(name) = \(value)") }
            print("events (newest first):")
            for e in try store.events(for: mac, limit: events) {
                let status = e.status.map { " \($0)" } ?? ""
                print("  \(stamp(e.time)) \(e.kind.rawValue)\(status) \(e.file ?? "") \(e.ip ?? "") \(e.reason ?? "")")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List devices.")
        @Option(help: "Only this group.") var group: String?
        @Option(help: "Only this state (new, discovered, config-fetched).") var state: String?
        @Flag(help: "Print a JSON array as the admin API does (no passwords).") var json = false
        @OptionGroup var options: ConfigOption

        func run() throws {
            var filter: DeviceState?
            if let state {
                guard let parsed = DeviceState(rawValue: state) else {
                    throw ValidationError("--state: expected new, discovered or config-fetched")
                }
                filter = parsed
            }
            let store = try openInventory(try loadSettings(options))
            let devices = try store.devices(group: group, state: filter)
            if json { return printJSON(devices.map(DeviceJSON.init)) }
            print("MAC           STATE           GROUP        MODEL        LINES  LAST IP          LABEL")
            for d in devices {
                print([pad(d.mac.compact, 13), pad(d.state.rawValue, 15), pad(d.group, 12), pad(d.model ?? "-", 12),
                       pad(String(d.lines.count), 6), pad(d.lastIP ?? "-", 16), d.label].joined(separator: " "))
            }
            print("\(devices.count) device(s)")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import devices from CSV (header row). The whole file is checked first; a bad row imports nothing.")
        @Argument(help: "The CSV file.") var file: String
        @Flag(help: "Print a line on standard error at each 10% validated and written.") var progress = false
        @OptionGroup var options: ConfigOption

        func run() throws {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                printError("\(file): cannot read it as UTF-8 text")
                throw ExitCode(1)
            }
            let store = try openInventory(try loadSettings(options))
            do {
                var shown: (DeviceImport.Phase, Int)?
                let count = try DeviceImport.run(csv: text, into: store, now: Date().timeIntervalSince1970) { phase, done, total in
                    guard progress, total > 0 else { return }
                    let tenth = done * 10 / total
                    if let (lastPhase, lastTenth) = shown, lastPhase == phase, lastTenth == tenth { return }
                    shown = (phase, tenth)
                    printError("\(phase.rawValue) \(done)/\(total) (\(tenth * 10)%)")
                }
                print("imported \(count) device(s) from \(file)")
            } catch {
                printError("\(file): \(error.description); nothing imported")
                throw ExitCode(1)
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export every device as CSV (passwords included: keep the file safe).")
        @Argument(help: "Write to this file (mode 0600) instead of standard output.") var file: String?
        @OptionGroup var options: ConfigOption

        func run() throws {
            let store = try openInventory(try loadSettings(options))
            let csv = DeviceCSV.export(try store.devices(group: nil, state: nil))
            guard let file else {
                print(csv, terminator: "")
                return
            }
            guard FileManager.default.createFile(atPath: file, contents: Data(csv.utf8), attributes: [.posixPermissions: 0o600]) else {
                printError("\(file): cannot write it")
                throw ExitCode(1)
            }
        }
    }
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

func stamp(_ time: Double?) -> String {
    guard let time else { return "-" }
    let formatter = ISO8601DateFormatter()
    return formatter.string(from: Date(timeIntervalSince1970: time))
}

func printJSON(_ value: some Encodable) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    if let data = try? encoder.encode(value) { print(String(decoding: data, as: UTF8.self)) }
}

import AutoprovConfig
import ArgumentParser
import DHCPv4
import Foundation
import Store

struct DeviceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device", abstract: "Manage the device inventory.",
        subcommands: [Add.self, Set.self, Show.self, List.self, Remove.self, Import.self, Export.self, AcceptCert.self, ResetSecret.self])

    /// Fields shared by `add` and `set`.
    struct Fields: ParsableArguments {
        @Option(help: "A label for people (desk, name).") var label: String?
        @Option(help: "The phone model (learned from the User-Agent when not set).") var model: String?
        @Option(help: "The device's group.") var group: String?
        @Option(name: .customLong("admin-user"), help: "The phone's web admin user.") var adminUser: String?
        @Option(name: .customLong("admin-password"), help: "The phone's web admin password.") var adminPassword: String?
        @Option(name: .customLong("line"), help: "A SIP line: N:number=..,auth_user=..,password=..,display_name=..,registrar=..,registrar_port=..,transport=udp|tcp|tls (repeatable; replaces line N).")
        var lines: [String] = []
        @Option(name: .customLong("var"), help: "A device variable name=value (repeatable).") var variables: [String] = []

        func apply(to device: inout Device) throws {
            if let label { device.label = label }
            if let model { device.model = model }
            if let group { device.group = group }
            if let adminUser { device.adminUser = adminUser }
            if let adminPassword { device.adminPassword = adminPassword }
            for text in lines {
                let line = try Self.parseLine(text)
                device.lines.removeAll { $0.index == line.index }
                device.lines.append(line)
            }
            for text in variables {
                let (name, value) = try Self.pair(text, option: "--var")
                device.variables[name] = value
            }
        }

        static func pair(_ text: String, option: String) throws -> (String, String) {
            guard let eq = text.firstIndex(of: "=") else { throw ValidationError("\(option): expected name=value, got \"\(text)\"") }
            return (String(text[..<eq]), String(text[text.index(after: eq)...]))
        }

        static func parseLine(_ text: String) throws -> SIPLine {
            guard let colon = text.firstIndex(of: ":"), let index = Int(text[..<colon]) else {
                throw ValidationError("--line: expected N:number=...,password=..., got a value without its line number")
            }
            var line = SIPLine(index: index, number: "")
            for part in text[text.index(after: colon)...].split(separator: ",") {
                let (key, value) = try pair(String(part), option: "--line \(index)")
                do {
                    try line.set(key, to: value)
                } catch {
                    throw ValidationError("--line \(index): \(error)")
                }
            }
            return line
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a device.")
        @Argument(help: "The phone's MAC address.") var mac: String
        @OptionGroup var fields: Fields
        @OptionGroup var options: ConfigOption

        func run() throws {
            let mac = try parseMAC(mac)
            var device = Device(mac: mac)
            try fields.apply(to: &device)
            let store = try openInventory(try loadSettings(options))
            try inventoryCall { try store.insert(device, now: Date().timeIntervalSince1970) }
            print("added \(mac.compact)")
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a device.")
        @Argument(help: "The phone's MAC address.") var mac: String
        @OptionGroup var fields: Fields
        @Option(name: .customLong("unset-var"), help: "Remove a device variable (repeatable).") var unset: [String] = []
        @Option(name: .customLong("remove-line"), help: "Remove line N (repeatable).") var removeLines: [Int] = []
        @OptionGroup var options: ConfigOption

        func run() throws {
            let mac = try parseMAC(mac)
            let store = try openInventory(try loadSettings(options))
            let fields = fields, unset = unset, removeLines = removeLines
            var change = Device(mac: mac)
            try fields.apply(to: &change)
            try inventoryCall {
                try store.update(mac, now: Date().timeIntervalSince1970) { device in
                    device.lines.removeAll { removeLines.contains($0.index) }
                    try fields.apply(to: &device)
                    for name in unset { device.variables[name] = nil }
                }
            }
            print("updated \(mac.compact)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a device.")
        @Argument(help: "The phone's MAC address.") var mac: String
        @OptionGroup var options: ConfigOption

        func run() throws {
            let mac = try parseMAC(mac)
            let store = try openInventory(try loadSettings(options))
            guard try inventoryCall({ try store.delete(mac) }) else {
                printError("device \(mac.compact) not found")
                throw ExitCode(1)
            }
            print("removed \(mac.compact)")
        }
    }
}

func parseMAC(_ text: String) throws -> MACAddress {
    guard let mac = MACAddress(text), mac.value != 0 else {
        throw ValidationError("expected a MAC like 0c383e07e16c or 0c:38:3e:07:e1:6c, got \"\(text)\"")
    }
    return mac
}

/// Runs a store call; an inventory error is printed and exits 1.
@discardableResult
func inventoryCall<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as InventoryError {
        printError(error.description)
        throw ExitCode(1)
    }
}

import AutoprovConfig
import ArgumentParser
import Foundation
import Store

struct GroupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group", abstract: "Manage device groups and their variables.",
        subcommands: [Add.self, Set.self, Show.self, List.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a group.")
        @Argument(help: "The group's name.") var name: String
        @Option(name: .customLong("var"), help: "A variable name=value (repeatable).") var variables: [String] = []
        @OptionGroup var options: ConfigOption

        func run() throws {
            var group = DeviceGroup(name: name)
            for text in variables {
                let (key, value) = try DeviceCommand.Fields.pair(text, option: "--var")
                group.variables[key] = value
            }
            let store = try openInventory(try loadSettings(options))
            try inventoryCall { try store.insert(group, now: Date().timeIntervalSince1970) }
            print("added group \(name)")
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a group's variables.")
        @Argument(help: "The group's name.") var name: String
        @Option(name: .customLong("var"), help: "Set a variable name=value (repeatable).") var variables: [String] = []
        @Option(name: .customLong("unset-var"), help: "Remove a variable (repeatable).") var unset: [String] = []
        @OptionGroup var options: ConfigOption

        func run() throws {
            let pairs = try variables.map { try DeviceCommand.Fields.pair($0, option: "--var") }
            let store = try openInventory(try loadSettings(options))
            let unset = unset
            try inventoryCall {
                try store.update(group: name, now: Date().timeIntervalSince1970) { group in
                    for (key, value) in pairs { group.variables[key] = value }
                    for key in unset { group.variables[key] = nil }
                }
            }
            print("updated group \(name)")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a group's variables and members.")
        @Argument(help: "The group's name.") var name: String
        @OptionGroup var options: ConfigOption

        func run() throws {
            let store = try openInventory(try loadSettings(options))
            guard let group = try store.group(name) else {
                printError("group \(name) not found")
                throw ExitCode(1)
            }
            print("group \(group.name)")
            for (key, value) in group.variables.sorted(by: { $0.key < $1.key }) { print("var   \(key) = \(value)") }
            let members = try store.devices(group: name, state: nil)
            print("\(members.count) device(s): \(members.map(\.mac.compact).joined(separator: " "))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List groups.")
        @OptionGroup var options: ConfigOption

        func run() throws {
            let store = try openInventory(try loadSettings(options))
            for group in try store.groups() {
                let count = try store.devices(group: group.name, state: nil).count
                print("\(pad(group.name, 20)) \(pad("\(count) device(s)", 14)) \(group.variables.count) variable(s)")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove an empty group.")
        @Argument(help: "The group's name.") var name: String
        @OptionGroup var options: ConfigOption

        func run() throws {
            let store = try openInventory(try loadSettings(options))
            guard try inventoryCall({ try store.delete(group: name) }) else {
                printError("group \(name) not found")
                throw ExitCode(1)
            }
            print("removed group \(name)")
        }
    }
}

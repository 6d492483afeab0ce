import AutoprovConfig
import ArgumentParser
import DHCPServer

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate a configuration and explain what it will do.")

    @OptionGroup var options: ConfigOption

    func run() throws {
        let settings = try loadSettings(options)
        print("Configuration \(options.config) is valid.")
        for line in settings.explanation(addresses: InterfaceAddresses.all()) { print(line) }
    }
}

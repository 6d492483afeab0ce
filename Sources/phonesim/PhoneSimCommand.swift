import ArgumentParser

@main
struct PhoneSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phonesim",
        abstract: "Simulated Fanvil phones, and a minimal SIP registrar for them.",
        subcommands: [FleetCommand.self, RegistrarCommand.self, RegisterCommand.self]
    )
}

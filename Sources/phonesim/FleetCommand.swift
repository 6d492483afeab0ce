import ArgumentParser

/// `phonesim fleet`: N simulated phones (STUB).
struct FleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fleet", abstract: "Run N simulated Fanvil phones.")
    func run() async throws {}
}

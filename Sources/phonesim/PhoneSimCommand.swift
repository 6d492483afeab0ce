import ArgumentParser

@main
struct PhoneSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "phonesim", abstract: "Simulated Fanvil phones.")
    func run() async throws {}
}

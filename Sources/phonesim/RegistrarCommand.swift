import ArgumentParser

/// `phonesim registrar`: a minimal SIP registrar with digest auth (STUB).
struct RegistrarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "registrar", abstract: "A minimal SIP registrar (UDP, digest).")
    func run() async throws {}
}

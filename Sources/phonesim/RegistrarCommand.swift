import ArgumentParser
import Foundation
import Logging
import NIOPosix
import PhoneSim
import ServiceLifecycle

/// `phonesim registrar`: a minimal SIP registrar with digest auth, for the
/// simulated phones. Prints one line per registration outcome to stderr
/// (never a password); SIGTERM/SIGINT stop it.
struct RegistrarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "registrar", abstract: "A minimal SIP registrar (UDP, digest).")

    @Option(help: "Address and UDP port to listen on (IPv4:port).")
    var listen: String = "127.0.0.1:5060"

    @Option(help: "CSV file of `user,password` lines (# comments).")
    var users: String

    @Option(help: "Digest realm.")
    var realm: String = "autoprov"

    func run() async throws {
        let (host, port) = try HostPort.parse(listen, option: "--listen")
        let text: String
        do { text = try String(contentsOfFile: users, encoding: .utf8) } catch {
            throw ValidationError("--users \(users): \(error.localizedDescription)")
        }
        let table: [String: String]
        do { table = try SIPUsersFile.parse(text) } catch { throw ValidationError("--users \(users): \(error)") }

        let registrar = SIPRegistrar(users: table, realm: realm, host: host, port: port) { event in
            switch event {
            case let .registered(user, _, source): printErr("registered \(user) from \(source)")
            case let .unregistered(user, source): printErr("unregistered \(user) from \(source)")
            case let .refused(user, status, _): printErr("refused \(user): \(status)")
            }
        }
        let address = try await registrar.bind()
        printErr("registrar listening on \(address.ipAddress ?? host):\(address.port ?? port) (\(table.count) users, realm \(realm))")
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: registrar)], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "phonesim.registrar")))
        try await group.run()
        printErr("registrar stopped")
    }
}

/// `host:port` option values.
enum HostPort {
    static func parse(_ text: String, option: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port), colon > text.startIndex else {
            throw ValidationError("\(option) \(text): expected IPv4:port")
        }
        return (String(text[..<colon]), port)
    }
}

/// One line to stderr, unbuffered.
func printErr(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

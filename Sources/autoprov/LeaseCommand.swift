import AutoprovConfig
import ArgumentParser
import DHCPv4
import Foundation

struct LeaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lease", abstract: "Act on one lease.", subcommands: [Release.self])

    struct Release: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Release the lease of a MAC: the address returns to the pool. A running server applies it within a second.")

        @Argument(help: "The client's MAC address.") var mac: String
        @OptionGroup var options: ConfigOption

        func run() throws {
            guard let parsed = MACAddress(mac) else {
                throw ValidationError("expected a MAC like 0c:38:3e:00:00:01, got \"\(mac)\"")
            }
            let settings = try loadSettings(options)
            let store = try openStore(settings)
            let released = try store.release(mac: parsed, now: Int64(Date().timeIntervalSince1970))
            guard !released.isEmpty else {
                printError("\(parsed) holds no bound lease")
                throw ExitCode(1)
            }
            for ip in released { print("released \(ip) held by \(parsed)") }
        }
    }
}

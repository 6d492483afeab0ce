import ArgumentParser
import NIOPosix
import PhoneSim

/// `phonesim register`: registers one SIP account once and prints the final
/// status code; exits 0 on 200, 1 otherwise. For checking a registrar by
/// hand or from scripts (Tests/Integration/sipp/selftest.sh).
struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register", abstract: "REGISTER one SIP account once; print the status (exit 0 on 200).")

    @Option(help: "Local IPv4 address to send from (port: --from-port).")
    var from: String = "127.0.0.1"

    @Option(help: "Local UDP port (0 = ephemeral).")
    var fromPort: Int = 0

    @Option(help: "Registrar IPv4:port.")
    var registrar: String = "127.0.0.1:5060"

    @Option(help: "The account's user (AOR user part).")
    var user: String

    @Option(help: "Digest user name (default: --user).")
    var authUser: String?

    @Option(help: "Digest password.")
    var password: String

    @Option(help: "Requested registration lifetime, seconds.")
    var expires: Int = 3600

    @Option(help: "Give up after this many seconds (status 408).")
    var timeout: Double = 8

    func run() async throws {
        let (host, port) = try HostPort.parse(registrar, option: "--registrar")
        let client = SIPRegisterClient(localHost: from, localPort: fromPort, group: MultiThreadedEventLoopGroup.singleton)
        let account = SIPAccount(user: user, authUser: authUser ?? user, password: password, registrar: host, port: port)
        let status = await client.register(account, expires: expires, timeout: .milliseconds(Int(timeout * 1000)))
        await client.close()
        print(status)
        if status != 200 { throw ExitCode(1) }
    }
}

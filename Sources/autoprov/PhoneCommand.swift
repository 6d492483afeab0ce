import AutoprovConfig
import ArgumentParser
import DHCPv4
import Foundation
import NIOPosix
import PhoneAPI
import PostProvision
import Store

/// `autoprov phone get|set|reboot MAC`: talk to one phone's own HTTP API
/// (POST /xmlService) at its last known address, with its admin account
/// from the inventory: what the provisioning worker does, by hand.
struct PhoneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phone",
        abstract: "Ask or change a phone over its own HTTP API (xmlService), with its inventory credentials.",
        subcommands: [Get.self, Set.self, Reboot.self])

    struct Target: ParsableArguments {
        @Argument(help: "The phone's MAC address.") var mac: String
        @Option(help: "The phone's address (default: the last one seen: its job's, or its last fetch's).") var ip: String?
        @OptionGroup var options: ConfigOption
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print keys (`sip.line.1.` for a subtree, `.` for all).")
        @OptionGroup var target: Target
        @Argument(help: "Keys, e.g. info.dev.Mac info.sip.line.1.registerCode.") var keys: [String]
        func run() async throws {
            let reply = try await PhoneSession(target).send { client, endpoint, credentials in
                try await client.get(keys, from: endpoint, credentials: credentials)
            }
            for (key, value) in reply.items { print("\(key) = \(value)") }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set key=value items, in order.")
        @OptionGroup var target: Target
        @Argument(help: "Items, e.g. phone.date.TimeZone=4.") var items: [String]
        func run() async throws {
            let pairs = try items.map { item -> (String, String) in
                guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                    throw ValidationError("expected key=value, got \"\(item.prefix(40))\"")
                }
                return (String(item[..<equals]), String(item[item.index(after: equals)...]))
            }
            let reply = try await PhoneSession(target).send { client, endpoint, credentials in
                try await client.set(pairs, on: endpoint, credentials: credentials)
            }
            print("RetCode \(reply.retCode.map(String.init) ?? "missing")")
            if let code = reply.retCode, code != 0 { throw ExitCode(1) }
        }
    }

    struct Reboot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reboot the phone (FanvilPhoneExecute Cmd:Reboot).")
        @OptionGroup var target: Target
        func run() async throws {
            let reply = try await PhoneSession(target).send { client, endpoint, credentials in
                try await client.execute("Cmd:Reboot", on: endpoint, credentials: credentials)
            }
            print("RetCode \(reply.retCode.map(String.init) ?? "missing")")
        }
    }
}

/// One exchange with one phone: where it is, which account, the client.
struct PhoneSession {
    let target: PhoneCommand.Target

    init(_ target: PhoneCommand.Target) {
        self.target = target
    }

    func send(
        _ exchange: (any PhoneAPIClient, PhoneEndpoint, PhoneCredentials) async throws -> XMLServiceReply
    ) async throws -> XMLServiceReply {
        let mac = try parseMAC(target.mac)
        let settings = try loadSettings(target.options)
        let database = try openDatabase(settings)
        guard let device = try SQLiteInventoryStore(database: database).device(mac) else {
            printError("device \(mac.compact) not found")
            throw ExitCode(1)
        }
        let job = try SQLiteProvisionJobStore(database: database).job(mac)
        guard let ip = target.ip ?? job?.ip ?? device.lastIP else {
            printError("no address known for \(mac.compact): give --ip")
            throw ExitCode(1)
        }
        let p = settings.postProvision
        let endpoint = p.endpoint(ip: ip)
        let credentials = p.credentials(for: device)
        let client = HTTPPhoneAPIClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, settings: p.clientSettings)
        let reply: XMLServiceReply
        do {
            reply = try await exchange(client, endpoint, credentials)
        } catch {
            try? await client.shutdown()
            printError("\(endpoint): \(error)")
            throw ExitCode(1)
        }
        try? await client.shutdown()
        return reply
    }
}

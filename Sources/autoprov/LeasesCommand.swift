import AutoprovConfig
import ArgumentParser
import DHCPv4
import Foundation
import Store

struct LeasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leases", abstract: "List leases from the store.")

    @OptionGroup var options: ConfigOption
    @Option(help: "Only this MAC.") var mac: String?
    @Option(help: "Only this address.") var ip: String?
    @Option(help: "Only this state: \(LeaseState.allCases.map(\.rawValue).joined(separator: ", ")).") var state: String?
    @Flag(help: "Print a JSON array.") var json = false

    func run() throws {
        var filter = LeaseFilter()
        if let mac {
            guard let parsed = MACAddress(mac) else { throw ValidationError("--mac: expected a MAC like 0c:38:3e:00:00:01, got \"\(mac)\"") }
            filter.mac = parsed
        }
        if let ip {
            guard let parsed = IPv4Address(ip) else { throw ValidationError("--ip: expected an IPv4 address, got \"\(ip)\"") }
            filter.ip = parsed
        }
        if let state {
            guard let parsed = LeaseState(rawValue: state) else {
                throw ValidationError("--state: expected one of \(LeaseState.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(state)\"")
            }
            filter.state = parsed
        }
        let settings = try loadSettings(options)
        let store = try openStore(settings)
        let now = Int64(Date().timeIntervalSince1970)
        let leases = try store.leases(matching: filter, now: now).filter { $0.state != .offered }
        json ? printJSON(leases, now: now) : printTable(leases, now: now)
    }

    private func printJSON(_ leases: [Lease], now: Int64) {
        let formatter = ISO8601DateFormatter()
        let objects: [[String: Any]] = leases.map { lease in
            [
                "mac": lease.mac.description, "ip": lease.ip.description,
                "state": lease.effectiveState(at: now).rawValue, "class": lease.className ?? NSNull(),
                "subnet": lease.subnet, "hostname": lease.hostname ?? NSNull(),
                "expires": formatter.string(from: Date(timeIntervalSince1970: TimeInterval(lease.expires))),
            ]
        }
        let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])) ?? Data("[]".utf8)
        print(String(decoding: data, as: UTF8.self))
    }

    private func printTable(_ leases: [Lease], now: Int64) {
        let formatter = ISO8601DateFormatter()
        let rows = [["IP", "MAC", "STATE", "CLASS", "SUBNET", "EXPIRES"]] + leases.map {
            [$0.ip.description, $0.mac.description, $0.effectiveState(at: now).rawValue, $0.className ?? "-",
             $0.subnet, formatter.string(from: Date(timeIntervalSince1970: TimeInterval($0.expires)))]
        }
        let widths = (0..<6).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
        print("\(leases.count) lease(s)")
    }
}

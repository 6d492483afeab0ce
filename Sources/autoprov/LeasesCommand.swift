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

    /// Written by hand: JSONSerialization over dictionaries took seconds
    /// for 100k leases.
    private func printJSON(_ leases: [Lease], now: Int64) {
        var out = "["
        out.reserveCapacity(leases.count * 200 + 2)
        for (i, lease) in leases.enumerated() {
            out += i == 0 ? "\n  {" : ",\n  {"
            out += "\"class\": \(json(lease.className)), \"expires\": \"\(Self.iso8601(lease.expires))\", "
            out += "\"hostname\": \(json(lease.hostname)), \"ip\": \"\(lease.ip)\", \"mac\": \"\(lease.mac)\", "
            out += "\"origin\": \"\(lease.origin.rawValue)\", \"server\": \(json(lease.server?.description)), "
            out += "\"state\": \"\(lease.effectiveState(at: now).rawValue)\", \"subnet\": \(json(lease.subnet))}"
        }
        out += leases.isEmpty ? "]" : "\n]"
        print(out)
    }

    private func json(_ text: String?) -> String {
        guard let text else { return "null" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `2026-11-27T18:04:17Z` from seconds since 1970, without a formatter.
    static func iso8601(_ seconds: Int64) -> String {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    private func printTable(_ leases: [Lease], now: Int64) {
        let rows = [["IP", "MAC", "STATE", "CLASS", "SUBNET", "EXPIRES"]] + leases.map {
            [$0.ip.description, $0.mac.description, $0.effectiveState(at: now).rawValue, $0.className ?? "-",
             $0.subnet, Self.iso8601($0.expires)]
        }
        let widths = (0..<6).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
        print("\(leases.count) lease(s)")
    }
}

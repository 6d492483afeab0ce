#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import DHCPv4
import Logging
import PhoneSim
import ServiceLifecycle

/// `phonesim fleet`: N simulated Fanvil phones that get an address through
/// this process's DHCP relay socket, fetch their config, serve
/// `/xmlService` and register their SIP lines. Runs until SIGTERM/SIGINT.
struct FleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet", abstract: "Run N simulated Fanvil phones.",
        discussion: """
            Each phone: DHCP through this process's relay socket (--relay:--dhcp-port, \
            giaddr = relay, sent to --server), option 66 (else 43) with $mac replaced, \
            GET of its config file from its leased address, then POST /xmlService on \
            leased-ip:--api-port (Digest/Basic with web.account.1 when \
            phone.EnablePushXMLAuth = 1), SIP REGISTER of each enabled line from \
            leased-ip:--sip-port, and the cti.BootCompletedUrl / RegOnUrl / RegFailedUrl \
            action URLs. Run it inside a network namespace: the relay socket binds \
            127.64.0.1:67 on `lo` next to the DHCP server's 0.0.0.0:67.
            --events FILE: one JSON object a line, {"t", "mac", "event", "ip", "code"?}, \
            event one of leased, config-fetched, api-listening, registered, \
            register-failed, rebooting, set, get, pnp. Stops on SIGTERM or SIGINT.
            --pnp fallback|always: without a URL from DHCP (fallback) or always, the phone \
            multicasts SUBSCRIBE sip:<mac>@--pnp-group:--pnp-port (Event: ua-profile) from \
            its leased address, answers the NOTIFY and fetches the URL it carried (event pnp).
            """)

    @Option(help: "Number of phones.") var count = 20
    @Option(help: "MAC of phone 0; phone i gets base + i.") var macBase = "0c383e100000"
    @Option(help: "Model in the User-Agent and info.dev.Model.") var model = "X4"
    @Option(help: "Firmware version.") var firmware = "2.10.2.6887"
    @Option(help: "DHCP server address.") var server = "127.0.0.1"
    @Option(help: "DHCP port (server and relay).") var dhcpPort = 67
    @Option(help: "Relay agent address (giaddr); the relay socket binds here.") var relay = "127.64.0.1"
    @Option(help: "Device for SO_BINDTODEVICE on the relay socket ('' for none).") var device = "lo"
    @Option(help: "Port of each phone's /xmlService.") var apiPort = 80
    @Option(help: "Local SIP port of each phone.") var sipPort = 5060
    @Option(help: "Spread power-on times evenly over this many seconds.") var bootSpread = 0.0
    @Option(name: .customLong("fault"), help: "MAC=kind[,kind...]: slow=MS, unreachable, wrong-mac, set-fails, malformed, reboot-on-push, wrong-sip-password.")
    var faults: [String] = []
    @Option(name: .customLong("fault-every"), help: "N=kind[,kind...]: faults for every Nth phone.")
    var faultEvery: [String] = []
    @Option(help: "Write events as JSON lines to this file.") var events: String?
    @Option(help: "SIP PnP: off, fallback (when DHCP gives no URL) or always (ignore option 66/43).") var pnp = "off"
    @Option(help: "SIP PnP multicast group.") var pnpGroup = "224.0.1.75"
    @Option(help: "SIP PnP port.") var pnpPort = 5060

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must be 0 or more, got \(count)") }
        guard MACAddress(macBase) != nil else { throw ValidationError("--mac-base wants a MAC like 0c383e100000, got \(macBase)") }
        guard IPv4Address(relay) != nil else { throw ValidationError("--relay wants an IPv4 address, got \(relay)") }
        _ = try options()
    }

    func options() throws -> FleetOptions {
        var options = FleetOptions()
        options.count = count
        options.macBase = MACAddress(macBase) ?? options.macBase
        options.model = model
        options.firmware = firmware
        options.server = server
        options.dhcpPort = dhcpPort
        options.relay = IPv4Address(relay) ?? options.relay
        options.device = device.isEmpty ? nil : device
        options.apiPort = apiPort
        options.sipPort = sipPort
        options.bootSpread = bootSpread
        options.eventsPath = events
        guard let mode = PnPMode(rawValue: pnp) else { throw ValidationError("--pnp wants off, fallback or always, got \(pnp)") }
        guard IPv4Address(pnpGroup) != nil else { throw ValidationError("--pnp-group wants an IPv4 address, got \(pnpGroup)") }
        options.pnp = mode
        options.pnpGroup = pnpGroup
        options.pnpPort = pnpPort
        for rule in faults {
            let (name, kinds) = try Self.split(rule, flag: "--fault")
            guard let mac = MACAddress(name) else { throw ValidationError("--fault wants MAC=kind, got \(rule)") }
            var faults = options.faults[mac] ?? PhoneFaults()
            try faults.add(kinds)
            options.faults[mac] = faults
        }
        for rule in faultEvery {
            let (name, kinds) = try Self.split(rule, flag: "--fault-every")
            guard let every = Int(name), every > 0 else { throw ValidationError("--fault-every wants N=kind, got \(rule)") }
            options.faultEvery.append((every, try PhoneFaults(parsing: kinds)))
        }
        return options
    }

    private static func split(_ rule: String, flag: String) throws -> (String, String) {
        guard let equals = rule.firstIndex(of: "=") else { throw ValidationError("\(flag) wants X=kind, got \(rule)") }
        return (String(rule[..<equals]), String(rule[rule.index(after: equals)...]))
    }

    func run() async throws {
        Self.raiseFileLimit()
        let logger = Logger(label: "phonesim")
        let fleet = Fleet(options: try options())
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: fleet)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }

    /// 1,000 phones need 2,000+ descriptors: soft limit up to the hard one.
    static func raiseFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}

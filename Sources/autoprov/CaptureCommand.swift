import AutoprovConfig
import ArgumentParser
import DHCPObserver
import DHCPServer
import DHCPv4
import Foundation
import PacketCapture
import Synchronization

/// `autoprov capture --interface IF`: DHCP on IF, one line per packet
/// (format: `CaptureLine`), for troubleshooting a bring-up. Only listens
/// (libpcap, filter `udp and (port 67 or port 68)`); never sends.
struct CaptureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Print the DHCP traffic on an interface, one decoded line per packet (never sends).",
        discussion: """
            Each line: TIME (UTC) TYPE MAC [class=NAME] xid=0x... SRC:PORT > DST:PORT, then when present \
            ciaddr= yiaddr= giaddr= server= requested= prl= vendor= hostname= opt66= opt43= opt67= lease=. \
            A frame that does not decode prints NOT-DHCP or MALFORMED and the reason. With --config, the \
            client classes name the MACs they match and only those clients' packets are printed unless \
            --all is given. Needs root or CAP_NET_RAW. Stops after --count lines, or on SIGINT/SIGTERM.
            """)

    @Option(help: "The interface to capture on.") var interface: String
    @Option(help: "Stop after this many lines.") var count: Int?
    @Flag(help: "With --config: print every client's packets, not only those of a client class.") var all = false
    @Option(help: "A YAML configuration file whose dhcp.classes name the clients.") var config: String?

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be 1 or more, got \(count)") }
    }

    func run() async throws {
        var classes: [ClientClass] = []
        if let config {
            do {
                classes = try ConfigLoader.load(path: config).dhcp.classes
            } catch {
                printError(error.description)
                throw ExitCode(2)
            }
        }
        let filter = CaptureFilter(classes: classes, all: all || classes.isEmpty)
        var options = PcapHandle.Options()
        options.promiscuous = true
        let handle: PcapHandle
        do {
            handle = try PcapHandle(interface: interface, filter: ObserveService.captureFilter, options: options)
        } catch {
            printError("cannot capture: \(error)")
            throw ExitCode(1)
        }
        printError("capturing DHCP on \(interface) (never sending); SIGINT to stop")
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        // SIGINT/SIGTERM end the line stream, which ends the command.
        let signals = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.finish() }
            source.resume()
            return source
        }
        defer { for source in signals { source.cancel() } }
        let limit = count
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await PcapReader.run(handle, name: "capture") { frame in
                    if let line = filter.line(for: frame) { continuation.yield(line) }
                }
            }
            var printed = 0
            for await line in lines {
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
                printed += 1
                if let limit, printed >= limit { break }
            }
            group.cancelAll()
            try await group.waitForAll()
        }
    }
}

/// Which packets `capture` prints, and with which class name. The vendor
/// class a client sent is remembered, so that the server's replies to it
/// (which carry none) are named too.
final class CaptureFilter: Sendable {
    private let classes: [ClientClass]
    private let all: Bool
    private let vendorClasses = Mutex<[MACAddress: String]>([:])

    init(classes: [ClientClass], all: Bool) {
        self.classes = classes
        self.all = all
    }

    func line(for frame: CapturedFrame) -> String? {
        guard let udp = try? UDPFrame.decode(frame), let message = try? DHCPMessage.decode(udp.payload) else {
            return CaptureLine.describe(frame)
        }
        var name: String?
        if let mac = message.clientMAC {
            let vendor = vendorClasses.withLock { known in
                if let sent = message.vendorClassIdentifier, message.op == .bootRequest {
                    if known.count >= 4096 { known.removeAll() }
                    known[mac] = sent
                }
                return known[mac]
            }
            name = classes.first { $0.matches(mac: mac, vendorClass: vendor) }?.name
        }
        guard all || name != nil else { return nil }
        return CaptureLine.line(message, time: frame.timestamp, ends: CaptureLine.ends(udp), className: name)
    }
}

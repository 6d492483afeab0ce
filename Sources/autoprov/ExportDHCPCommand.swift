import AutoprovConfig
import ArgumentParser
import DHCPServer
import Foundation

/// `autoprov export-dhcp --format kea|dnsmasq|isc`: the config's client
/// classes (OUI, vendor class and MAC matches; options 66, 43…) in another
/// DHCP server's syntax, for sites that keep their own DHCP server.
struct ExportDHCPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-dhcp",
        abstract: "Print the config's DHCP client classes (option 66/43 for phones) for Kea, dnsmasq or ISC dhcpd.",
        discussion: """
            kea: a "client-classes" entry for the Dhcp4 map of kea-dhcp4.conf. dnsmasq: lines for \
            dnsmasq.conf. isc: class declarations for dhcpd.conf. The output's comments say where it \
            goes and what the target server cannot express. A value the syntax cannot carry exactly \
            is an error (exit 1, nothing printed).
            """)

    @Option(name: .long, help: "The DHCP server to write for.")
    var format: DHCPSnippetFormat
    @OptionGroup var options: ConfigOption

    func run() throws {
        let settings = try loadSettings(options)
        guard !settings.dhcp.classes.isEmpty else {
            printError("\(options.config) has no dhcp.classes: nothing to export")
            throw ExitCode(1)
        }
        do {
            let text = try format.render(settings.dhcp.classes, source: options.config)
            FileHandle.standardOutput.write(Data(text.utf8))
            if !settings.dhcp.reservations.isEmpty {
                printError("note: dhcp.reservations (fixed addresses, per-device options) are not exported; set them in the server by hand")
            }
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}

extension DHCPSnippetFormat: ExpressibleByArgument {}

import ArgumentParser
import Foundation
import Store

extension DeviceCommand {
    /// Trust on first use, like SSH: a phone whose HTTPS certificate changed
    /// is refused until an admin accepts it here.
    struct AcceptCert: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "accept-cert",
            abstract: "Forget the phone's pinned HTTPS certificate (a replaced phone): its next job pins the one it presents.")
        @Argument(help: "The phone's MAC address.") var mac: String
        @OptionGroup var options: ConfigOption

        func run() throws {
            let mac = try parseMAC(mac)
            let store = try openInventory(try loadSettings(options))
            let previous = try inventoryCall {
                try store.acceptAPICertificate(mac, now: Date().timeIntervalSince1970, by: "by autoprov device accept-cert")
            }
            if let previous {
                print("\(mac.compact): forgot certificate \(previous); the next job pins the one the phone presents")
            } else {
                print("\(mac.compact): no certificate was pinned; the next job pins the one the phone presents")
            }
        }
    }
}

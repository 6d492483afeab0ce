import ArgumentParser
import Foundation
import Store

extension DeviceCommand {
    /// A factory-reset (or replaced) phone no longer knows its own
    /// provisioning secret and is refused its file: resetting puts the
    /// device back in its bootstrap window (the `authorize` policy alone),
    /// and its next verified job gives it a new secret.
    struct ResetSecret: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-secret",
            abstract: "Forget the device's own provisioning secret (a factory-reset phone): back to bootstrap until its next verified job.")
        @Argument(help: "The phone's MAC address.") var mac: String
        @OptionGroup var options: ConfigOption

        func run() throws {
            let mac = try parseMAC(mac)
            let store = try openInventory(try loadSettings(options))
            let had = try inventoryCall {
                try store.resetProvisioningSecret(mac, now: Date().timeIntervalSince1970, by: "by autoprov device reset-secret")
            }
            if had {
                print("\(mac.compact): provisioning secret forgotten; the device is back in its bootstrap window until its next verified job")
            } else {
                print("\(mac.compact): had no provisioning secret; nothing changed")
            }
        }
    }
}

import AutoprovConfig
import Foundation
import Logging
import SIPPnP
import Store

/// The SIP PnP responder of `serve`: answers devices of the inventory
/// besides the class matches, and records each answer as a `sip-pnp`
/// device event (the URL told in `file`, vendor/model/version as the agent).
enum SIPPnPServices {
    static func make(
        settings: AutoprovSettings, inventory: any InventoryStore, onListening: @escaping @Sendable () -> Void
    ) -> SIPPnPService {
        let logger = Logger(label: "autoprov.sip-pnp")
        return SIPPnPService(
            settings: settings.sipPnP, logger: logger,
            isKnown: { mac in ((try? inventory.device(mac)) ?? nil) != nil },
            record: { answer in
                let event = DeviceEvent(
                    time: Date().timeIntervalSince1970, kind: DeviceEvent.Kind(rawValue: "sip-pnp"),
                    mac: answer.subscribe.mac, ip: answer.host, file: answer.url, userAgent: answer.subscribe.agent)
                do { try inventory.record(events: [event], contacts: []) } catch {
                    logger.warning("cannot record the PnP answer", metadata: ["mac": "\(answer.subscribe.mac)", "error": "\(error)"])
                }
            },
            onListening: onListening)
    }
}

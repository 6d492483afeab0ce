import DHCPv4
import Hummingbird
import Store

/// Where each device's provisioning stands, and asking for a push: what
/// `autoprov status` and `autoprov push` do, for the status page.
extension AdminAPI {
    func addProvisioningRoutes(to api: RouterGroup<BasicRequestContext>) {
        api.get("provisioning") { request, _ -> ProvisioningList in
            var wanted: String?
            if let text = request.uri.queryParameters.get("state") {
                guard ProvisioningJSON.states.contains(String(text)) else {
                    throw APIError(.badRequest, "expected one of \(ProvisioningJSON.states.joined(separator: ", "))", field: "state")
                }
                wanted = String(text)
            }
            let page = try Page(request)
            let time = now()
            let rows = try Self.store { try ProvisioningJSON.page(inventory: inventory, jobs: jobs, state: wanted, page: page) }
            let macs = rows.compactMap { MACAddress($0.mac) }
            return ProvisioningList(time: time, devices: rows, next: page.next(macs))
        }
        api.get("provisioning/summary") { _, _ -> ProvisioningSummary in
            let time = now()
            let counts = try Self.store { try jobs.rowStateCounts() }
            return ProvisioningSummary(time: time, total: counts.values.reduce(0, +), states: counts)
        }
        api.get("devices/:mac/provisioning") { _, context -> ProvisioningJSON in
            let mac = try Self.mac(context)
            return try Self.store {
                guard let device = try inventory.device(mac) else { throw APIError(.notFound, "device \(mac.compact) not found") }
                let outcome = try inventory.latestEvents(kinds: ProvisioningJSON.outcomeKinds)[mac]
                return ProvisioningJSON(
                    device: device, job: try jobs.job(mac), last: try inventory.events(for: mac, limit: 1).first, outcome: outcome)
            }
        }
        api.post("devices/:mac/push") { _, context -> EditedResponse<PushAccepted> in
            let mac = try Self.mac(context)
            let time = now()
            try Self.store {
                guard try inventory.device(mac) != nil else { throw APIError(.notFound, "device \(mac.compact) not found") }
                try inventory.record(events: [
                    DeviceEvent(time: time, kind: .init(rawValue: "push-requested"), mac: mac, reason: "by the admin API"),
                ], contacts: [])
            }
            return EditedResponse(status: .accepted, response: PushAccepted(mac: mac.compact, requested: time))
        }
    }
}

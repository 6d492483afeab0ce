import DHCPv4
import Logging
import NIOHTTP1
import Store

/// Action URLs: a provisioned phone calls `<prefix>events/<kind>?mac=$mac&ip=$ip`
/// on boot and on registration (`cti.BootCompletedUrl`, `RegOnUrl`, ...). Each
/// call becomes a `phone-<kind>` device event, which the provisioning worker
/// follows. Accepted only from the address leased to that MAC, so nobody else
/// can make autoprov drive a phone.
extension PhoneFileService {
    static let actionKinds: Set<String> = ["boot", "reg-on", "reg-off", "reg-failed"]

    /// nil when the target is not under `<prefix>events/`.
    func actionURL(_ request: PhoneRequest) -> PhoneResponse? {
        let base = settings.pathPrefix + "events/"
        guard request.target.hasPrefix(base) else { return nil }
        let rest = request.target.dropFirst(base.count)
        let kind = String(rest.prefix { $0 != "?" })
        let query = rest.firstIndex(of: "?").map { rest[rest.index(after: $0)...] } ?? ""
        let ip = request.remote.flatMap(Self.ipv4)
        guard request.method == .GET || request.method == .POST || request.method == .HEAD else {
            return refuseAction(.method, kind: kind, ip: ip, mac: nil, headers: [("Allow", "GET, POST, HEAD")])
        }
        guard Self.actionKinds.contains(kind) else { return refuseAction(.notFound, kind: kind, ip: ip, mac: nil) }
        guard let text = Self.queryValue("mac", in: query), text.utf8.count == 12, let mac = MACAddress(text) else {
            return refuseAction(.badPath, kind: kind, ip: ip, mac: nil)
        }
        let t = now()
        do {
            guard try directory.device(mac) != nil else { return refuseAction(.unknownDevice, kind: kind, ip: ip, mac: mac) }
        } catch {
            return PhoneResponse(status: .serviceUnavailable, body: "store-unavailable\n")
        }
        guard let ip, leases.holds(mac, address: ip, now: Int64(t)) else {
            return refuseAction(.notLeasedIP, kind: kind, ip: ip, mac: mac)
        }
        recorder.record(DeviceEvent(time: t, kind: .init(rawValue: "phone-" + kind), mac: mac, ip: ip.description), contact: nil)
        logger.info("action URL", metadata: ["kind": "\(kind)", "mac": "\(mac.compact)", "ip": "\(ip)"])
        return PhoneResponse(status: .ok, body: "ok\n")
    }

    func refuseAction(
        _ reason: FetchRefusal, kind: String, ip: IPv4Address?, mac: MACAddress?, headers: [(String, String)] = []
    ) -> PhoneResponse {
        metrics.refused(reason)
        logger.notice("action URL refused", metadata: [
            "reason": "\(reason.rawValue)", "kind": "\(kind.prefix(32))", "ip": "\(ip?.description ?? "-")",
            "mac": "\(mac?.compact ?? "-")",
        ])
        return PhoneResponse(status: reason.status, headers: headers, body: reason.rawValue + "\n")
    }

    /// The first `name=value` of a query string (values here are plain:
    /// a MAC, an address), percent-decoding not needed.
    static func queryValue(_ name: String, in query: Substring) -> String? {
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2, parts[0] == name { return String(parts[1]) }
        }
        return nil
    }
}

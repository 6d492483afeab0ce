import DHCPv4
import Foundation
import PhoneAPI
import Synchronization

/// The phone, for the worker's own tests (the real-socket phone is phonesim,
/// used by the end-to-end tests): answers get/set from a table of values.
final class StandInPhone: PhoneAPIClient {
    struct State {
        var mac: String
        var values: [String: String] = [:]
        var setRetCode = 0
        var unreachable = false
        /// How many more requests are refused before it answers (a phone still booting).
        var failFirst = 0
        var requests: [(command: XMLServiceRequest.Command, items: [String], host: String)] = []
        var registerOnSet: String? = "200"
        /// The certificate fingerprint an https endpoint presents.
        var fingerprint = "AA:AA"
        var probes = 0
    }

    let state: Mutex<State>

    init(mac: String) {
        state = Mutex(State(mac: mac))
    }

    func update(_ change: (inout State) -> Void) {
        state.withLock { change(&$0) }
    }

    var sets: Int { state.withLock { s in s.requests.filter { $0.command == .set }.count } }

    func send(_ request: XMLServiceRequest, to endpoint: PhoneEndpoint, credentials: PhoneCredentials?)
        async throws(PhoneAPIError) -> XMLServiceReply
    {
        let items = Self.items(request.body)
        return try state.withLock { s throws(PhoneAPIError) -> XMLServiceReply in
            s.requests.append((request.command, items, endpoint.host))
            if s.unreachable { throw .unreachable("connection refused") }
            if s.failFirst > 0 {
                s.failFirst -= 1
                throw .unreachable("connection refused")
            }
            switch request.command {
            case .get:
                let answered = items.map { key -> (key: String, value: String) in
                    key == "info.dev.Mac" ? (key, s.mac) : (key, s.values[key] ?? "")
                }
                return XMLServiceReply(root: "FanvilConfiguration", retCode: 0, items: answered)
            case .set:
                guard s.setRetCode == 0 else { return XMLServiceReply(root: "FanvilConfiguration", retCode: s.setRetCode) }
                for item in items {
                    let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    if parts.count == 2 { s.values[parts[0]] = parts[1] }
                }
                if let code = s.registerOnSet { s.values["info.sip.line.1.registerCode"] = code }
                return XMLServiceReply(root: "FanvilConfiguration", retCode: 0)
            case .del, .execute:
                return XMLServiceReply(root: "FanvilConfiguration", retCode: 0)
            }
        }
    }

    func certificateFingerprint(of endpoint: PhoneEndpoint) async throws(PhoneAPIError) -> String? {
        guard endpoint.scheme == .https else { return nil }
        return try state.withLock { s throws(PhoneAPIError) -> String in
            s.probes += 1
            if s.unreachable { throw .unreachable("connection refused") }
            return s.fingerprint
        }
    }

    /// The text of each `<Item>` of a request body.
    static func items(_ body: String) -> [String] {
        var out: [String] = []
        var rest = body[...]
        while let open = rest.range(of: "<Item>"), let close = rest.range(of: "</Item>", range: open.upperBound..<rest.endIndex) {
            out.append(String(rest[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return out
    }
}

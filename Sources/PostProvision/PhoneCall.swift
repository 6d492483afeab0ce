import DHCPv4
import PhoneAPI

/// The three conversations with one phone, each turned into a step.
struct PhoneCall: Sendable {
    let client: any PhoneAPIClient
    let endpoint: PhoneEndpoint
    let credentials: PhoneCredentials
    let expected: MACAddress

    static let macKey = "info.dev.Mac"

    /// GET `info.dev.Mac`: the phone at the address must be this device.
    func confirmIdentity() async -> ProvisionStep {
        do {
            let reply = try await client.get([Self.macKey], from: endpoint, credentials: credentials)
            if let wrong = mismatch(reply) { return wrong }
            return .advance(.reachable, reason: nil, status: nil)
        } catch {
            return step(for: error, doing: "asking info.dev.Mac")
        }
    }

    /// SET the push items; RetCode 0 (or none, as some firmware) is success.
    func push(_ items: [(key: String, value: String)]) async -> ProvisionStep {
        guard !items.isEmpty else { return .advance(.pushed, reason: "nothing to push", status: nil) }
        do {
            let reply = try await client.set(items.map { ($0.key, $0.value) }, on: endpoint, credentials: credentials)
            if let code = reply.retCode, code != 0 { return .fail("set refused: RetCode \(code)", status: nil) }
            return .advance(.pushed, reason: nil, status: nil)
        } catch {
            return step(for: error, doing: "pushing \(items.count) item(s)")
        }
    }

    /// GET the MAC and every line's registerCode.
    func checkRegistration(lines: [Int], check: RegisterCheck) async -> ProvisionStep {
        guard !lines.isEmpty else { return .advance(.verified, reason: "no SIP line to verify", status: nil) }
        do {
            let reply = try await client.get([Self.macKey] + RegisterCheck.keys(lines: lines), from: endpoint, credentials: credentials)
            if let wrong = mismatch(reply) { return wrong }
            return check.evaluate(reply, lines: lines)
        } catch {
            return step(for: error, doing: "asking registerCode")
        }
    }

    func mismatch(_ reply: XMLServiceReply) -> ProvisionStep? {
        guard let text = reply.value(for: Self.macKey), !text.isEmpty else {
            return .fail("the phone at \(endpoint.host) did not answer info.dev.Mac", status: nil)
        }
        guard let seen = MACAddress(text), seen == expected else {
            let shown = MACAddress(text)?.compact ?? "something that is not a MAC"
            return .fail("wrong phone: \(endpoint.host) answers info.dev.Mac \(shown), expected \(expected.compact)", status: nil)
        }
        return nil
    }

    /// Network trouble is retried until the deadline; a phone that answers
    /// but refuses, or answers nonsense, fails at once.
    func step(for error: any Error, doing what: String) -> ProvisionStep {
        guard let error = error as? PhoneAPIError else { return .retry("\(what): \(error)") }
        switch error {
        case .timeout, .unreachable, .cancelled:
            return .retry("no answer from \(endpoint.host):\(endpoint.port) \(what) (\(error.reason))")
        case .authRefused(let status):
            return .fail("the phone refused our credentials (HTTP \(status))", status: status)
        case .basicOverHTTP:
            return .fail("\(error) \(what)", status: 401)
        case .httpStatus(let status):
            return .fail("the phone answered HTTP \(status) \(what)", status: status)
        case .badReply(let reason):
            return .fail("the phone's reply is unreadable \(what): \(reason)", status: nil)
        case .request(let reason):
            return .fail("a request could not be built \(what): \(reason)", status: nil)
        }
    }
}

import DHCPv4
import Foundation
import Logging
import NIOHTTP1
import Rendering
import Store

/// Authorisation and the two ways a fetch ends: served or refused.
extension PhoneFileService {
    /// How a request was let through, or its refusal.
    enum Authorization {
        /// `byDigest`: its Digest credentials were checked and valid (the
        /// proof the provisioning worker waits for, `DigestFetch`).
        case granted(byDigest: Bool)
        case refused(PhoneResponse)
    }

    /// The device's `authorize` policy during its bootstrap window; once its
    /// own provisioning secret is in force (`per_device_secret`), Digest
    /// under that secret only: a lease, or the shared password, opens
    /// nothing any more.
    func authorize(_ request: PhoneRequest, _ fetch: Fetch, device: Device, group: DeviceGroup?) -> Authorization {
        let mac = device.mac
        if settings.perDeviceSecret, let secret = device.provisioningSecret, secret.isInForce {
            return checkDigest(request, fetch) { user in user == mac.compact ? secret.value : nil }
        }
        let policy = settings.authorization
        let fromLease = fetch.ip.map { leases.holds(mac, address: $0, now: Int64(fetch.time)) } ?? false
        if policy == .leasedIP { return fromLease ? .granted(byDigest: false) : .refused(refuse(.notLeasedIP, fetch)) }
        if policy == .leasedIPOrDigest && fromLease { return .granted(byDigest: false) }
        if policy == .leasedIPAndDigest && !fromLease { return .refused(refuse(.notLeasedIP, fetch)) }
        return checkDigest(request, fetch) { user in
            // A pending secret (pushed, not yet verified) is accepted too:
            // the phone may use it already.
            if let secret = device.provisioningSecret, user == mac.compact { return secret.value }
            // Resolved only here: a leased_ip fetch never needs the variables.
            var shared = device
            shared.provisioningSecret = nil
            let variables = VariableResolution.resolve(device: shared, group: group, settings: renderer.settings)
            guard let expected = variables[VariableResolution.usernameVariable], user == expected else { return nil }
            return variables[VariableResolution.passwordVariable]
        }
    }

    private func checkDigest(_ request: PhoneRequest, _ fetch: Fetch, password: (String) -> String?) -> Authorization {
        let outcome = digest.verify(
            header: request.authorization, method: request.method.rawValue, uri: fetch.target, client: fetch.client,
            now: fetch.time, settings: settings.digest, password: password)
        switch outcome {
        case .valid: return .granted(byDigest: true)
        case .missing: return .refused(refuse(.digestMissing, fetch))
        case .invalid(let stale): return .refused(refuse(.digestBad, fetch, stale: stale))
        // A fresh nonce with stale=true: a client that merely resent a
        // request retries without asking anyone for the password again.
        case .replayed: return .refused(refuse(.digestReplay, fetch, stale: true))
        case .throttled(let retryAfter):
            return .refused(refuse(.digestThrottled, fetch, extraHeaders: [("Retry-After", String(retryAfter))]))
        }
    }

    /// Logs, counts and records a refusal, and builds its response. The
    /// body names the reason only: never a variable's value.
    func refuse(
        _ reason: FetchRefusal, _ fetch: Fetch, detail: String? = nil, stale: Bool = false,
        extraHeaders: [(String, String)] = []
    ) -> PhoneResponse {
        metrics.refused(reason)
        // A throttled address is counted only: its cooldown was logged once
        // when it began, and its flood must not write the log or the store.
        if reason == .digestThrottled {
            return PhoneResponse(status: reason.status, headers: extraHeaders, body: reason.rawValue + "\n")
        }
        if isWrittenDown(reason, fetch) {
            log(reason, fetch, detail: detail)
            if fetch.known { record(fetch, status: Int(reason.status.code), reason: reason.rawValue, ownFile: false) }
        } else {
            metrics.unrecorded.increment()
        }
        var headers = extraHeaders
        if reason == .digestMissing || reason == .digestBad || reason == .digestReplay {
            for challenge in digest.challenges(now: fetch.time, client: fetch.client, stale: stale) {
                headers.append(("WWW-Authenticate", challenge))
            }
        }
        return PhoneResponse(status: reason.status, headers: headers, body: reason.rawValue + "\n")
    }

    /// From the device's own leased address: always. From anywhere else:
    /// as `refusals` admits (ten per source address and reason per minute);
    /// a render error is ours, not the client's, and always written.
    private func isWrittenDown(_ reason: FetchRefusal, _ fetch: Fetch) -> Bool {
        if reason == .renderError { return true }
        if let mac = fetch.mac, let ip = fetch.ip, leases.holds(mac, address: ip, now: Int64(fetch.time)) { return true }
        return refusals.admit(source: fetch.ip?.description ?? "-", reason: reason.rawValue, now: fetch.time)
    }

    private func log(_ reason: FetchRefusal, _ fetch: Fetch, detail: String?) {
        var metadata: Logger.Metadata = [
            "reason": "\(reason.rawValue)", "status": "\(reason.status.code)", "ip": "\(fetch.ip?.description ?? "-")",
            "file": "\(fetch.file ?? String(fetch.target.prefix(64)))",
        ]
        if let mac = fetch.mac { metadata["mac"] = "\(mac.compact)" }
        if let detail { metadata["detail"] = "\(detail)" }
        if reason == .renderError {
            logger.error("config fetch failed", metadata: metadata)
        } else {
            logger.notice("config fetch refused", metadata: metadata)
        }
    }

    /// - Parameter byDigest: served after a valid Digest check (with
    ///   `ownFile`, written down as the device's `DigestFetch`).
    func record(_ fetch: Fetch, status: Int, reason: String?, ownFile: Bool, byDigest: Bool = false) {
        guard let mac = fetch.mac else { return }
        let event = DeviceEvent(
            time: fetch.time, kind: .configFetch, mac: mac, ip: fetch.ip?.description, file: fetch.file,
            userAgent: fetch.userAgent.map { String($0.prefix(200)) }, status: status, reason: reason)
        // Only a served fetch teaches anything about the device.
        let contact = status == 200
            ? DeviceContact(
                mac: mac, time: fetch.time, ip: fetch.ip?.description,
                model: fetch.agent.map(\.model).flatMap(Self.plainModel), firmware: fetch.agent?.firmware,
                fetchedOwnFile: ownFile,
                digestFetch: ownFile && byDigest ? fetch.ip.map { DigestFetch(time: fetch.time, ip: $0.description) } : nil)
            : nil
        recorder.record(event, contact: contact)
    }
}

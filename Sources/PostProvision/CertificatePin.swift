import PhoneAPI
import Store

/// Trust on first use of a phone's HTTPS certificate, as SSH does with host
/// keys. Before every attempt that talks to a phone over `https`, the
/// certificate it presents is read (one TLS handshake, nothing sent): a
/// device with no pinned fingerprint gets the one seen pinned as soon as the
/// phone's identity is confirmed (`info.dev.Mac` matched, the first
/// verification); a device with one goes on only when it is the same.
/// Another fails the job before a byte of HTTP is sent, until an admin
/// accepts the replaced phone (`autoprov device accept-cert MAC`, or
/// `POST /api/v1/devices/{mac}/accept-certificate`).
enum CertificatePin {
    enum Outcome: Equatable {
        /// Talk to the phone; `pin` is the fingerprint to remember once its
        /// identity is confirmed (nil: nothing to pin).
        case proceed(pin: String?)
        /// Do not: this step instead.
        case stop(ProvisionStep)
    }

    static func check(_ phone: PhoneCall, device: Device) async -> Outcome {
        guard phone.endpoint.scheme == .https else { return .proceed(pin: nil) }
        let seen: String?
        do {
            seen = try await phone.client.certificateFingerprint(of: phone.endpoint)
        } catch {
            return .stop(phone.step(for: error, doing: "reading its certificate"))
        }
        guard let seen else { return .proceed(pin: nil) }
        guard let pinned = device.apiCertSHA256 else { return .proceed(pin: seen) }
        guard pinned == seen else { return .stop(.fail(changed(device, was: pinned, now: seen), status: nil)) }
        return .proceed(pin: nil)
    }

    static func changed(_ device: Device, was: String, now: String) -> String {
        "phone certificate changed (was \(was), now \(now)); accept with 'autoprov device accept-cert \(device.mac.compact)'"
    }
}

import DHCPv4
import Hummingbird
import Store

/// Accepting a replaced phone: the admin API side of `autoprov device
/// accept-cert` and `autoprov device reset-secret`.
extension AdminAPI {
    func addCertificateRoutes(to api: RouterGroup<BasicRequestContext>) {
        api.post("devices/:mac/accept-certificate") { _, context -> CertificateAccepted in
            let mac = try Self.mac(context)
            let time = now()
            let previous = try Self.store {
                try inventory.acceptAPICertificate(mac, now: time, by: "by the admin API")
            }
            return CertificateAccepted(mac: mac.compact, previous: previous, accepted: time)
        }
        // `autoprov device reset-secret`: a factory-reset phone goes back to bootstrap.
        api.post("devices/:mac/reset-secret") { _, context -> SecretReset in
            let mac = try Self.mac(context)
            let time = now()
            let had = try Self.store { try inventory.resetProvisioningSecret(mac, now: time, by: "by the admin API") }
            return SecretReset(mac: mac.compact, had_secret: had, reset: time)
        }
    }
}

/// The answer to an accepted certificate: what was forgotten (null when
/// nothing was pinned), and when.
struct CertificateAccepted: ResponseEncodable {
    var mac: String
    var previous: String?
    var accepted: Double

    enum CodingKeys: String, CodingKey {
        case mac, previous, accepted
    }

    /// `previous` is always present, `null` when nothing was pinned.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(mac, forKey: .mac)
        try c.encode(previous, forKey: .previous)
        try c.encode(accepted, forKey: .accepted)
    }
}

/// The answer to a reset provisioning secret: whether there was one (never its value).
struct SecretReset: ResponseEncodable {
    var mac: String
    var had_secret: Bool
    var reset: Double
}

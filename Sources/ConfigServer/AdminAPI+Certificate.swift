import DHCPv4
import Hummingbird
import Store

/// Accepting a replaced phone: the admin API side of `autoprov device accept-cert`.
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

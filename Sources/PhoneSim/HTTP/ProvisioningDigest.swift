import NIOHTTP1

/// How a simulated phone answers the config server's Digest challenge with
/// the provisioning credentials it holds (`ap.DefaultUsername` /
/// `ap.DefaultPassword`, from a file or a push), as a Fanvil phone does.
public enum ProvisioningDigest {
    public static let usernameKey = "ap.DefaultUsername"
    public static let passwordKey = "ap.DefaultPassword"

    /// The `Authorization` value answering the first challenge of
    /// `headers` whose algorithm is supported, for GET `uri`; nil when
    /// there is none or no credentials.
    public static func authorization(
        challenges headers: HTTPHeaders, user: String?, password: String?, method: String = "GET", uri: String,
        cnonce: String = String(UInt64.random(in: .min ... .max), radix: 16)
    ) -> String? {
        guard let user, let password, !user.isEmpty else { return nil }
        for value in headers["WWW-Authenticate"] {
            guard let p = SIPDigest.parameters(ofHeader: value), let realm = p["realm"], let nonce = p["nonce"],
                  let algorithm = SIPDigest.Algorithm(token: p["algorithm"]) else { continue }
            let qop = p["qop"].flatMap { $0.split(separator: ",").map { $0.trimmingSpaces() }.first(where: { $0 == "auth" }) }
            let nc = "00000001"
            let response = SIPDigest.response(
                algorithm: algorithm, username: user, realm: realm, password: password, method: method, uri: uri,
                nonce: nonce, qop: qop, nc: qop == nil ? nil : nc, cnonce: qop == nil ? nil : cnonce)
            var fields = [
                "username=\(SIPDigest.quoted(user))", "realm=\(SIPDigest.quoted(realm))", "nonce=\(SIPDigest.quoted(nonce))",
                "uri=\(SIPDigest.quoted(uri))", "algorithm=\(algorithm.rawValue)", "response=\(SIPDigest.quoted(response))",
            ]
            if let qop { fields += ["qop=\(qop)", "nc=\(nc)", "cnonce=\(SIPDigest.quoted(cnonce))"] }
            return "Digest " + fields.joined(separator: ", ")
        }
        return nil
    }
}

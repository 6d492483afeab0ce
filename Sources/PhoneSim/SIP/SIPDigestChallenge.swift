/// A `WWW-Authenticate` / `Proxy-Authenticate: Digest ...` challenge.
public struct SIPDigestChallenge: Sendable, Hashable {
    public var realm: String
    public var nonce: String
    public var algorithm: SIPDigest.Algorithm
    /// The offered qop options (`qop="auth,auth-int"`), empty when absent.
    public var qopOptions: [String]
    public var opaque: String?
    public var stale: Bool

    public init(realm: String, nonce: String, algorithm: SIPDigest.Algorithm = .md5, qopOptions: [String] = ["auth"], opaque: String? = nil, stale: Bool = false) {
        self.realm = realm; self.nonce = nonce; self.algorithm = algorithm
        self.qopOptions = qopOptions; self.opaque = opaque; self.stale = stale
    }

    /// Parses one header value; nil unless Digest with a realm, a nonce
    /// and a supported algorithm.
    public init?(header: String) {
        guard let p = SIPDigest.parameters(ofHeader: header), let realm = p["realm"], let nonce = p["nonce"],
              let algorithm = SIPDigest.Algorithm(token: p["algorithm"]) else { return nil }
        self.init(
            realm: realm, nonce: nonce, algorithm: algorithm,
            qopOptions: (p["qop"] ?? "").split(separator: ",").map { $0.trimmingSpaces().lowercased() }.filter { !$0.isEmpty },
            opaque: p["opaque"], stale: p["stale"]?.lowercased() == "true")
    }

    /// The header value.
    public var headerValue: String {
        var value = "Digest realm=\(SIPDigest.quoted(realm)), nonce=\(SIPDigest.quoted(nonce)), algorithm=\(algorithm.rawValue)"
        if !qopOptions.isEmpty { value += ", qop=\(SIPDigest.quoted(qopOptions.joined(separator: ",")))" }
        if let opaque { value += ", opaque=\(SIPDigest.quoted(opaque))" }
        if stale { value += ", stale=true" }
        return value
    }

    /// The credentials answering this challenge for `method` on `uri`
    /// (qop=auth when offered, else the RFC 2069 form).
    public func credentials(
        username: String, password: String, method: String, uri: String, cnonce: String, nonceCount: Int = 1
    ) -> SIPDigestCredentials {
        let qop: String? = qopOptions.contains("auth") ? "auth" : nil
        let nc = qop == nil ? nil : String(repeating: "0", count: max(0, 8 - String(nonceCount, radix: 16).count)) + String(nonceCount, radix: 16)
        let response = SIPDigest.response(
            algorithm: algorithm, username: username, realm: realm, password: password, method: method, uri: uri,
            nonce: nonce, qop: qop, nc: nc, cnonce: qop == nil ? nil : cnonce)
        return SIPDigestCredentials(
            username: username, realm: realm, nonce: nonce, uri: uri, response: response, algorithm: algorithm,
            qop: qop, nc: nc, cnonce: qop == nil ? nil : cnonce, opaque: opaque)
    }
}

/// An `Authorization` / `Proxy-Authorization: Digest ...` value.
public struct SIPDigestCredentials: Sendable, Hashable {
    public var username: String
    public var realm: String
    public var nonce: String
    public var uri: String
    public var response: String
    public var algorithm: SIPDigest.Algorithm
    public var qop: String?
    public var nc: String?
    public var cnonce: String?
    public var opaque: String?

    public init(
        username: String, realm: String, nonce: String, uri: String, response: String,
        algorithm: SIPDigest.Algorithm = .md5, qop: String? = nil, nc: String? = nil, cnonce: String? = nil, opaque: String? = nil
    ) {
        self.username = username; self.realm = realm; self.nonce = nonce; self.uri = uri; self.response = response
        self.algorithm = algorithm; self.qop = qop; self.nc = nc; self.cnonce = cnonce; self.opaque = opaque
    }

    /// Parses one header value; nil unless Digest with username, realm,
    /// nonce, uri and response, a supported algorithm, and nc and cnonce
    /// whenever qop is given.
    public init?(header: String) {
        guard let p = SIPDigest.parameters(ofHeader: header), let username = p["username"], let realm = p["realm"],
              let nonce = p["nonce"], let uri = p["uri"], let response = p["response"],
              let algorithm = SIPDigest.Algorithm(token: p["algorithm"]) else { return nil }
        let qop = p["qop"]
        if qop != nil, p["nc"] == nil || p["cnonce"] == nil { return nil }
        self.init(
            username: username, realm: realm, nonce: nonce, uri: uri, response: response, algorithm: algorithm,
            qop: qop, nc: p["nc"], cnonce: p["cnonce"], opaque: p["opaque"])
    }

    /// The header value (qop and nc unquoted, as RFC 3261 §25 has them).
    public var headerValue: String {
        var value = "Digest username=\(SIPDigest.quoted(username)), realm=\(SIPDigest.quoted(realm)), "
            + "nonce=\(SIPDigest.quoted(nonce)), uri=\(SIPDigest.quoted(uri)), response=\(SIPDigest.quoted(response)), "
            + "algorithm=\(algorithm.rawValue)"
        if let qop, let nc, let cnonce { value += ", cnonce=\(SIPDigest.quoted(cnonce)), qop=\(qop), nc=\(nc)" }
        if let opaque { value += ", opaque=\(SIPDigest.quoted(opaque))" }
        return value
    }

    /// Whether `response` is the one `password` gives for `method`.
    public func verify(password: String, method: String) -> Bool {
        let expected = SIPDigest.response(
            algorithm: algorithm, username: username, realm: realm, password: password, method: method, uri: uri,
            nonce: nonce, qop: qop, nc: nc, cnonce: cnonce)
        return SIPDigest.constantTimeEqual(expected, response.lowercased())
    }
}

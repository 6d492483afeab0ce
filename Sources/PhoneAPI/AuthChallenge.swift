import DigestAuth
/// One `WWW-Authenticate` challenge from a phone that this client can answer.
///
/// Phones in the wild ask for HTTP Digest (RFC 7616, MD5 and SHA-256, with
/// `qop=auth` or the legacy RFC 2069 form without qop) or Basic (RFC 7617).
/// `-sess` algorithms, `qop=auth-int` alone and other schemes are not
/// answered: the exchange then ends in `PhoneAPIError.authRefused`.
enum AuthChallenge: Sendable, Equatable {
    case basic
    case digest(DigestChallenge)

    /// The challenge to answer among a 401's `WWW-Authenticate` values: the
    /// first Digest one this client supports (servers list their preferred
    /// first, RFC 7616 §3.7), else Basic, else `nil`. Each header value is
    /// read as one challenge.
    static func preferred(_ headerValues: [String]) -> AuthChallenge? {
        let challenges = headerValues.compactMap(parse)
        if let digest = challenges.first(where: { if case .digest = $0 { true } else { false } }) {
            return digest
        }
        return challenges.first { $0 == .basic }
    }

    /// One header value, `nil` when its scheme or parameters are not
    /// supported.
    static func parse(_ headerValue: String) -> AuthChallenge? {
        let trimmed = headerValue.drop { $0 == " " || $0 == "\t" }
        let scheme = trimmed.prefix { $0 != " " && $0 != "\t" }
        switch scheme.lowercased() {
        case "basic":
            return .basic
        case "digest":
            return DigestChallenge(parameters: DigestAuthParameters.parse(trimmed.dropFirst(scheme.count)))
                .map(AuthChallenge.digest)
        default:
            return nil
        }
    }
}

/// The parameters of a Digest challenge that matter to the answer.
struct DigestChallenge: Sendable, Equatable {
    enum Algorithm: String, Sendable {
        case md5 = "MD5"
        case sha256 = "SHA-256"
    }

    var realm: String
    var nonce: String
    /// Echoed back unchanged when present.
    var opaque: String?
    var algorithm: Algorithm
    /// Whether the answer uses `qop=auth` (with `nc` and `cnonce`); `false`
    /// for a challenge without `qop` (RFC 2069).
    var qopAuth: Bool
    /// Whether the challenge named its algorithm (the answer then names it too).
    var algorithmNamed: Bool

    init(realm: String, nonce: String, opaque: String? = nil, algorithm: Algorithm = .md5,
         qopAuth: Bool = true, algorithmNamed: Bool = true) {
        self.realm = realm
        self.nonce = nonce
        self.opaque = opaque
        self.algorithm = algorithm
        self.qopAuth = qopAuth
        self.algorithmNamed = algorithmNamed
    }

    /// `nil` without a nonce, with an unknown algorithm, or with a `qop`
    /// list that lacks `auth`.
    init?(parameters: [String: String]) {
        guard let nonce = parameters["nonce"] else { return nil }
        let algorithmName = parameters["algorithm"]
        let algorithm: Algorithm
        switch algorithmName?.uppercased() {
        case nil, "MD5": algorithm = .md5
        case "SHA-256": algorithm = .sha256
        default: return nil
        }
        var qopAuth = false
        if let qop = parameters["qop"] {
            let offered = qop.split(separator: ",").map { $0.trimmingSpaces.lowercased() }
            guard offered.contains("auth") else { return nil }
            qopAuth = true
        }
        self.init(realm: parameters["realm"] ?? "", nonce: nonce, opaque: parameters["opaque"],
                  algorithm: algorithm, qopAuth: qopAuth, algorithmNamed: algorithmName != nil)
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}

import Foundation

extension SIPRegistrar {
    /// The methods answered 405 (known, but a registrar only registers);
    /// anything else is 501.
    static let knownMethods: Set<String> = [
        "INVITE", "OPTIONS", "BYE", "CANCEL", "SUBSCRIBE", "NOTIFY", "MESSAGE", "INFO", "PRACK", "UPDATE", "REFER", "PUBLISH",
    ]

    /// Decides the answer to one request from `source` (`ip:port`); nil for
    /// responses and ACKs, which are never answered. Records bindings.
    func handle(_ request: SIPMessage, source: String, now: Double) -> (response: SIPMessage, event: SIPRegistrarEvent?)? {
        guard let method = request.method, method != "ACK" else { return nil }
        guard method == "REGISTER" else {
            var response = reply(to: request, status: Self.knownMethods.contains(method) ? 405 : 501, source: source)
            response.headers.add("Allow", "REGISTER")
            return (response, nil)
        }
        guard let to = request.headers["To"], let user = SIPHeaderValue.uriUser(to),
              request.headers["Call-ID"] != nil, request.cseq != nil else {
            return (reply(to: request, status: 400, source: source), nil)
        }
        guard let header = request.headers["Authorization"] else {
            return (challenge(request, source: source, now: now, stale: false), nil)
        }
        guard let credentials = SIPDigestCredentials(header: header), credentials.realm == realm,
              credentials.qop == nil || credentials.qop?.lowercased() == "auth",
              let password = users[credentials.username] else {
            return refuse(request, user: user, source: source)
        }
        switch nonces.check(credentials.nonce, now: now) {
        case .forged: return refuse(request, user: user, source: source)
        case .stale:
            guard credentials.verify(password: password, method: method) else { return refuse(request, user: user, source: source) }
            return (challenge(request, source: source, now: now, stale: true), nil)
        case .valid:
            guard credentials.verify(password: password, method: method) else { return refuse(request, user: user, source: source) }
        }
        return accept(request, user: user, source: source)
    }

    private func accept(_ request: SIPMessage, user: String, source: String) -> (SIPMessage, SIPRegistrarEvent?) {
        let contactValue = request.headers["Contact"]
        let expires = contactValue.flatMap { SIPHeaderValue.parameter("expires", in: $0) }.flatMap { Int($0) }
            ?? request.headers["Expires"].flatMap { Int($0.trimmingSpaces()) } ?? 3600
        var response = reply(to: request, status: 200, source: source)
        let event: SIPRegistrarEvent
        if expires <= 0 || contactValue?.trimmingSpaces() == "*" {
            state.withLock { _ = $0.bindings.removeValue(forKey: user) }
            event = .unregistered(user: user, source: source)
            response.headers.add("Expires", "0")
        } else {
            let contact = contactValue.flatMap(SIPHeaderValue.uri) ?? "sip:\(user)@\(source)"
            state.withLock {
                $0.bindings[user] = contact
                $0.registrations += 1
            }
            event = .registered(user: user, contact: contact, source: source)
            response.headers.add("Contact", "<\(contact)>;expires=\(expires)")
            response.headers.add("Expires", String(expires))
        }
        return (response, event)
    }

    private func refuse(_ request: SIPMessage, user: String, source: String) -> (SIPMessage, SIPRegistrarEvent?) {
        (reply(to: request, status: 403, source: source), .refused(user: user, status: 403, source: source))
    }

    private func challenge(_ request: SIPMessage, source: String, now: Double, stale: Bool) -> SIPMessage {
        var response = reply(to: request, status: 401, source: source)
        let challenge = SIPDigestChallenge(realm: realm, nonce: nonces.make(now: now), stale: stale)
        response.headers.add("WWW-Authenticate", challenge.headerValue)
        return response
    }

    /// A response echoing the Vias (the top one with `received`/`rport`,
    /// RFC 3581), From, To (tagged), Call-ID and CSeq of `request`.
    func reply(to request: SIPMessage, status: Int, source: String) -> SIPMessage {
        var headers = SIPHeaders()
        let vias = request.headers.values("Via").flatMap(SIPHeaderValue.splitList)
        for (index, via) in vias.enumerated() {
            headers.add("Via", index == 0 ? Self.stamped(via: via, source: source) : via)
        }
        if let from = request.headers["From"] { headers.add("From", from) }
        if let to = request.headers["To"] {
            headers.add("To", SIPHeaderValue.parameter("tag", in: to) == nil ? to + ";tag=" + toTag(for: request) : to)
        }
        if let callID = request.headers["Call-ID"] { headers.add("Call-ID", callID) }
        if let cseq = request.headers["CSeq"] { headers.add("CSeq", cseq) }
        headers.add("Server", "phonesim-registrar")
        return .response(status, headers: headers)
    }

    /// The top Via with `received=ip` and a filled-in `rport`.
    static func stamped(via: String, source: String) -> String {
        guard let colon = source.lastIndex(of: ":") else { return via }
        let ip = source[..<colon], port = source[source.index(after: colon)...]
        var params = via.split(separator: ";").map(String.init)
        for i in params.indices.dropFirst() {
            switch params[i].split(separator: "=").first.map({ $0.trimmingSpaces().lowercased() }) {
            case "rport": params[i] = "rport=\(port)"
            case "received": params[i] = ""
            default: break
            }
        }
        return (params.filter { !$0.isEmpty } + ["received=\(ip)"]).joined(separator: ";")
    }

    /// The same To tag for every answer to one Call-ID.
    func toTag(for request: SIPMessage) -> String {
        String(SIPDigest.hash(request.headers["Call-ID"] ?? "", .md5).prefix(10))
    }
}
